"""Date formats of both UI languages (settings.FORMAT_MODULE_PATH): the agency works with
German dates, so English pages show 31.10.2027 too, never 10/31/2027 or Oct. 31, 2027."""
