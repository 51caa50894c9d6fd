"""Pages of brokerage: cases."""

urlpatterns: list = []
