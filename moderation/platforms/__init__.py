"""One adapter per platform behind one small interface (base.py); no platform code elsewhere."""
