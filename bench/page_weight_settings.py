"""Settings for bench/page_weight.py: the project's, with static files served as collected.

With WHITENOISE_USE_FINDERS on (coalition/settings.py), WhiteNoise serves every static file
from its source folder, which has no compressed twin, so nothing static is ever gzipped.
Off, it serves the files `collectstatic` wrote to STATIC_ROOT along with their .gz and .br
twins (CompressedStaticFilesStorage) — what a deployment should do.
"""

from coalition.settings import *  # noqa: F403

WHITENOISE_USE_FINDERS = False
