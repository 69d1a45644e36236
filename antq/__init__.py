"""antq — nền tảng phong trào toàn dân bảo vệ an ninh Tổ quốc."""

__version__ = "0.1.0"
