"""The session's data loader finds a client's model by its service's name, with botocore's answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import UnknownServiceError
from botocore.loaders import Loader

from chalicelib.runtime.service_models import ServiceModels, service_models
from chalicelib.runtime.session import aws_session

# The services the app makes clients of, and the model types a client loads.
SERVICES = ("dynamodb", "sqs", "sesv2", "scheduler", "ssm")
TYPES = ("service-2", "endpoint-rule-set-1", "paginators-1", "waiters-2")


class CountingModels(ServiceModels):
    """Counts how often every service is listed."""

    listed = 0

    def list_available_services(self, type_name: str) -> Any:
        CountingModels.listed += 1
        return super().list_available_services(type_name)


@pytest.mark.parametrize("service", SERVICES)
def test_every_model_of_the_apps_services_is_botocores_own(service: str) -> None:
    ours, botocores = service_models(None), Loader()
    for type_name in TYPES:
        try:
            expected = botocores.load_service_model(service, type_name)
        except Exception as error:  # a model type the service lacks
            with pytest.raises(type(error)):
                ours.load_service_model(service, type_name)
            continue
        assert ours.load_service_model(service, type_name) == expected, type_name


def test_an_api_version_asked_for_is_loaded() -> None:
    model = service_models(None).load_service_model("dynamodb", "service-2", "2012-08-10")
    assert model["metadata"]["apiVersion"] == "2012-08-10"


def test_an_unknown_service_fails_as_botocore_says_naming_the_known_ones() -> None:
    with pytest.raises(UnknownServiceError) as raised:
        service_models(None).load_service_model("no-such-service", "service-2")
    assert "dynamodb" in str(raised.value)


def test_a_client_is_made_without_listing_every_service() -> None:
    session = botocore.session.get_session()
    session.register_component("data_loader", CountingModels())
    session.create_client("dynamodb", region_name="us-east-1")
    session.create_client("sqs", region_name="us-east-1")
    assert CountingModels.listed == 0


def test_the_apps_session_loads_through_it_keeping_the_data_path_setting() -> None:
    assert isinstance(aws_session().get_component("data_loader"), ServiceModels)
    loader = service_models("/first:~/second")
    assert loader.search_paths[:2] == ["/first", str(Path.home() / "second")]
