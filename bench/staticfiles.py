"""The project's static files storage, tolerant of one gap: vendored files that name a source map (.map) not
vendored with them. The project's own storage refuses them in `collectstatic` (with DEBUG off); the benchmark only
needs the hashed file names, which this leaves unchanged, so it measures the same pages."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class SourceMapTolerantStorage(CompressedManifestStaticFilesStorage):
    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)

        def tolerant(matchobj):
            try:
                return convert(matchobj)
            except ValueError:
                if matchobj.group("url").strip().endswith(".map"):
                    return matchobj.group("matched")  # keep the reference as it is, like a file without a map
                raise

        return tolerant
