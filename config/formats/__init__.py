"""Date formats of both UI languages (settings.FORMAT_MODULE_PATH): German pages write
31.10.2027 and 31.10.2027 09:05; English pages 31 Oct 2027 and 31 Oct 2027 09:05 (never
10/31/2027, which a German or British reader takes for a different day). Money and
percentages: config/money_format.py; template filters: config/templatetags/formatting.py."""
