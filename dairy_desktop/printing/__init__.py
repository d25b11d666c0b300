"""Printed daily expiry sheet and batch labels, drawn with QPainter (vector, fast).

Kept import-light on purpose: `sheet_data`, `gs1`, `barcodes` and `sheet_layout` need no Qt,
so services and the CLI can build sheets without loading Qt's GUI modules.

Public API:
    sheet_data.build_daily_sheet         batches -> DailySheet (sections, rows, totals)
    sheet_render.render_sheet            DailySheet -> any QPagedPaintDevice (QPrinter, QPdfWriter)
    sheet_render.render_sheet_pdf        DailySheet -> PDF file (atomic), page count
    sheet_render.page_count              pages the sheet takes for a page layout (print preview)
    label_render.render_label            Batch label -> any QPagedPaintDevice
    label_render.render_label_pdf        Batch label -> PDF file (atomic)
    gs1.gs1_label_payload                GS1 element string (17)(315n)(10) for a label
    page_setup.default_page_size         A4, or Letter where the locale uses it
"""
