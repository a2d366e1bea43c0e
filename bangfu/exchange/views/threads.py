"""threads pages of the exchange."""

urlpatterns = []
