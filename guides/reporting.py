"""Error reports (the debug page, any error e-mail or tracker) for the guides' pages."""

from django.views.debug import SafeExceptionReporterFilter

GUIDES_PREFIX = "/guides/"


class CallerSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    """On the guides' pages every local variable is hidden: any of them could hold a caller's
    details (posted values are already hidden by guide_required)."""

    def get_traceback_frame_variables(self, request, tb_frame):
        if request is not None and request.path.startswith(GUIDES_PREFIX):
            return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
        return super().get_traceback_frame_variables(request, tb_frame)
