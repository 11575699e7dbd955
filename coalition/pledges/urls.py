from django.urls import path

from . import views

app_name = "pledges"
urlpatterns = [
    path("", views.home, name="home"),
]
