"""Files the registry keeps: a claim's evidence, for the claimant and the staff who review the claim."""

from peyvand.core import files, permissions

from .models import ClaimRequest

files.register(
    files.Download(
        kind="claim_evidence",
        model=ClaimRequest,
        field="evidence_file",
        may_download=lambda user, claim: permissions.can(user, permissions.VIEW, claim),
        related=("unit__estate",),
    )
)
