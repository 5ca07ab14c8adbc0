import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()
# What starting made (settings, models, admin, and the URLconf with the views it imports) lives
# as long as the process. Frozen, it is left out of the garbage collector's full collections,
# which otherwise walk all of it and stall the request that sets one off (bench/NOTES.md).
import_module(settings.ROOT_URLCONF)
gc.freeze()
