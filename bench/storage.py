"""Static files as production collects them: hashed names and gzip copies.

requirements.txt has no Brotli, so a production collectstatic writes gzip
only. The benchmark's virtualenv has Brotli (locust brings it), and
compressing every file with it costs most of a minute on two cores; this
storage leaves it out so the benchmark serves what production serves.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class GzipManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs):
        return super().create_compressor(**{**kwargs, "use_brotli": False})
