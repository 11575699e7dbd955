from coalition.knowledge.views import practices

app_name = "knowledge"

urlpatterns = practices.urlpatterns
