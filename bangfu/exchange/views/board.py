"""board pages of the exchange."""

urlpatterns = []
