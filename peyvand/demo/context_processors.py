"""Tell every page whether it shows the invented demo dataset."""

from django.core.cache import cache
from django.http import HttpRequest

from .models import DemoDataset


def demo(request: HttpRequest) -> dict[str, bool]:
    flag = cache.get("peyvand:demo")
    if flag is None:
        flag = DemoDataset.objects.exists()
        cache.set("peyvand:demo", flag, 60)
    return {"demo_dataset": flag}
