"""The buyer needs of the registry development set (``registry_set.py``): each written once in Persian and
once in English, with the trades that answer it exactly or closely and the certifications it prefers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Need:
    """One buyer need, written in Persian and in English."""

    fa: str
    en: str
    exact: tuple[str, ...]
    close: tuple[str, ...] = ()
    certs: tuple[str, ...] = ()
    county: str = ""


NEEDS = (
    Need(
        "چای سیاه بسته‌بندی شده با برند خریدار، ۲۰ تن در ماه",
        "Packed black tea under our private label, 20 tonnes a month",
        ("tea_pack",),
        ("tea_factory",),
        ("ISO 22000",),
    ),
    Need(
        "خرید چای خشک فله از کارخانه چای‌سازی",
        "Bulk made black tea bought directly from a tea factory",
        ("tea_factory",),
        ("tea_pack",),
    ),
    Need(
        "برنج سفید ایرانی از شالیکوبی برای صادرات",
        "Milled white rice from a rice mill for export",
        ("rice_mill",),
        (),
        ("ISO 22000",),
    ),
    Need(
        "عدس و لوبیا و نخود بسته‌بندی شده برای فروشگاه زنجیره‌ای",
        "Packed lentils, beans and chickpeas for a supermarket chain",
        ("legumes_pack",),
    ),
    Need(
        "ماست و پنیر پاستوریزه برای رستوران‌ها",
        "Pasteurised yoghurt and cheese supplied to restaurants",
        ("dairy",),
        (),
        ("HACCP",),
    ),
    Need(
        "ماهی منجمد و فیله ماهی برای صادرات به روسیه",
        "Frozen fish and fish fillets for export to Russia",
        ("fish_freeze",),
        ("cold_store",),
    ),
    Need(
        "ترشی و زیتون شور در ظرف شیشه‌ای", "Pickled vegetables and brined olives in glass jars", ("pickles",)
    ),
    Need("کیک و کلوچه بسته‌بندی برای پذیرایی", "Packaged cakes and cookies for catering", ("bakery",)),
    Need(
        "روغن زیتون فرابکر در بطری یک لیتری",
        "Extra virgin olive oil in one-litre bottles",
        ("olive_oil",),
        (),
        (),
        "رودبار",
    ),
    Need("خوراک ماهی و کنسانتره دام", "Fish feed and livestock feed concentrate", ("feed",)),
    Need("عسل طبیعی بسته‌بندی", "Natural honey in retail jars", ("honey",)),
    Need(
        "لوله پلی‌اتیلن آبیاری قطر ۶۳ تا ۱۱۰ با اتصالات",
        "HDPE irrigation pipe 63 to 110 mm with fittings",
        ("pe_pipe",),
        ("pvc_pipe",),
        ("نشان استاندارد",),
    ),
    Need(
        "لوله پی‌وی‌سی فاضلابی برای پروژه ساختمانی",
        "PVC sewer pipes for a housing project",
        ("pvc_pipe",),
        ("pe_pipe",),
    ),
    Need(
        "کیسه نایلکس و کیسه زباله برای فروشگاه",
        "Plastic carrier bags and garbage bags for shops",
        ("plastic_bags",),
    ),
    Need("لیوان و ظروف یکبار مصرف برای کترینگ", "Disposable cups and plates for catering", ("disposable",)),
    Need(
        "قطعات پلاستیکی تزریقی برای لوازم خانگی",
        "Injection-moulded plastic parts for home appliances",
        ("injection",),
        ("rubber_parts",),
        ("ISO 9001",),
    ),
    Need(
        "واشر و قطعات لاستیکی صنعتی",
        "Industrial rubber gaskets and moulded rubber parts",
        ("rubber_parts",),
        ("injection",),
    ),
    Need(
        "ساخت سوله و اسکلت فلزی انبار",
        "Steel structure for a warehouse building",
        ("steel_struct",),
        ("galvanize",),
    ),
    Need(
        "پنجره دوجداره آلومینیومی برای ساختمان اداری",
        "Double-glazed aluminium windows for an office building",
        ("doors_windows",),
    ),
    Need("قطعات چدنی ریخته‌گری برای پمپ", "Grey iron castings for pump bodies", ("casting",), ("machining",)),
    Need(
        "ماشینکاری و تراشکاری قطعات صنعتی طبق نقشه",
        "CNC machining of industrial parts to drawing",
        ("machining",),
        ("casting",),
        ("ISO 9001",),
    ),
    Need(
        "گالوانیزه گرم دکل و قطعات فلزی",
        "Hot-dip galvanizing of steel poles and parts",
        ("galvanize",),
        ("steel_struct",),
    ),
    Need("توری و فنس برای محصور کردن زمین", "Wire mesh fencing for a plot boundary", ("wire_mesh",)),
    Need(
        "تابلو برق فشار ضعیف برای کارخانه",
        "Low-voltage electrical switchboards for a factory",
        ("elec_panel",),
        ("cable",),
        ("ISO 9001",),
    ),
    Need("سیم و کابل افشان ساختمانی", "Flexible building wire and cable", ("cable",), ("elec_panel",)),
    Need(
        "چراغ و لامپ ال ای دی برای روشنایی سالن",
        "LED lamps and light fittings for a factory hall",
        ("lighting",),
    ),
    Need("مایع ظرفشویی و سفیدکننده برای هتل", "Dishwashing liquid and bleach for a hotel", ("detergent",)),
    Need("رنگ پلاستیک ساختمانی", "Emulsion wall paint for buildings", ("paint",)),
    Need("چسب کاشی پودری و پودر بندکشی", "Powder tile adhesive and grout", ("tile_adhesive",), ("paint",)),
    Need(
        "بلوک سیمانی و تیرچه برای ساختمان",
        "Concrete blocks and joists for construction",
        ("blocks",),
        ("ready_mix", "bricks"),
    ),
    Need("بتن آماده برای فونداسیون", "Ready-mixed concrete for foundations", ("ready_mix",), ("blocks",)),
    Need("آجر سفال برای ساختمان مسکونی", "Clay bricks for a residential building", ("bricks",), ("blocks",)),
    Need(
        "کابینت آشپزخانه برای ۵۰ واحد مسکونی",
        "Kitchen cabinets for 50 apartments",
        ("cabinet",),
        ("furniture",),
    ),
    Need("مبلمان اداری و صندلی", "Office furniture and chairs", ("furniture",), ("cabinet",)),
    Need("پالت چوبی برای بارگیری صادراتی", "Wooden pallets for export loading", ("pallet",)),
    Need(
        "کارتن پنج لایه برای بسته‌بندی کیوی",
        "Five-ply corrugated cartons for packing kiwifruit",
        ("carton",),
        ("printing",),
    ),
    Need("چاپ لیبل و بروشور", "Printing of labels and brochures", ("printing",), ("carton",)),
    Need(
        "دوخت لباس کودک و مانتو",
        "Sewing of children's clothes and women's coats",
        ("garments",),
        ("workwear",),
    ),
    Need(
        "لباس کار و یونیفرم برای کارگران",
        "Work clothes and uniforms for factory staff",
        ("workwear",),
        ("garments",),
    ),
    Need("جوراب نخی مردانه", "Men's cotton socks", ("socks",)),
    Need("حوله و ملحفه برای هتل", "Towels and bed sheets for a hotel", ("towel",)),
    Need(
        "نگهداری میوه در سردخانه زیر صفر",
        "Frozen cold storage space for fruit",
        ("cold_store",),
        ("fish_freeze",),
    ),
    Need(
        "تعمیر الکتروموتور و ماشین آلات کارخانه",
        "Repair of electric motors and factory machinery",
        ("repair",),
    ),
    Need("گرانول پلاستیک بازیافتی", "Recycled plastic granules", ("recycling",)),
)
HOLDOUT_EVERY = 3  # every third need is kept out of development
