"""Data of the MVFNet project: the embedded digit-order builder of the tiny configs lives in
``embedded_digit_order.py`` (imported by those configs only)."""
