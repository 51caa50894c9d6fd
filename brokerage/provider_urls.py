"""Pages of brokerage: providers."""

urlpatterns: list = []
