"""Printed daily expiry sheet and batch labels, drawn with QPainter (vector, fast).

Kept import-light on purpose: `sheet.data` and `label.data` need no Qt, so services and the
CLI can build sheets and labels without loading Qt's GUI modules.

Public API:
    sheet.data.build_daily_sheet         batches -> DailySheet (sections, rows, totals)
    sheet.render.render_sheet            DailySheet -> any QPagedPaintDevice (QPrinter, QPdfWriter)
    sheet.render.render_sheet_pdf        DailySheet -> PDF file (atomic), page count
    sheet.render.page_count              pages the sheet takes for a page layout (print preview)
    label.data.build_label               Batch -> BatchLabel (texts, GS1 choices by width)
    label.render.render_label            Batch label -> any QPagedPaintDevice
    label.render.render_label_pdf        Batch label -> PDF file (atomic)
    page_setup.default_page_size         A4, or Letter where the locale uses it
The label's GS1 element string, (17)(7003)(315n)(10), is built in barcodes.gs1_encode.
"""
