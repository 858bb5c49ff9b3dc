"""botocore's data loader, finding a client's service by its name instead of listing every one.

To load a client's model botocore first lists every service it knows, to check the one asked for
is among them: it opens each of its ~450 service folders and looks for the model file in each,
once for the service model and once for the endpoint rules (about 17 ms of a cold start). This
loader looks in the asked service's folder only: the same files, found the same way
(`list_api_versions`, the newest version). A name with no model there goes to botocore's own
method, and its error, which lists the services it knows.
"""

from __future__ import annotations

import os
from typing import Any

from botocore.exceptions import DataNotFoundError
from botocore.loaders import Loader, instance_cache


class ServiceModels(Loader):
    """A `Loader` whose `load_service_model` looks for the named service only."""

    @instance_cache
    def load_service_model(
        self, service_name: str, type_name: str, api_version: str | None = None
    ) -> Any:
        """The model of `type_name` (service-2, endpoint-rule-set-1...) for `service_name`, with
        its extras, as botocore's loader returns it."""
        try:
            versions = self.list_api_versions(service_name, type_name)
        except DataNotFoundError:
            versions = []
        find_extras = getattr(self, "_find_extras", None)
        extras = getattr(self, "_extras_processor", None)
        if not versions or find_extras is None or extras is None:
            return super().load_service_model(service_name, type_name, api_version)
        version = api_version or max(versions)
        model = self.load_data(os.path.join(service_name, version, type_name))
        extras.process(model, find_extras(service_name, type_name, version))
        return model


def service_models(search_path: str | None) -> ServiceModels:
    """The loader botocore's session would make (`create_loader`) for `AWS_DATA_PATH`'s value."""
    if search_path is None:
        return ServiceModels()
    paths = [os.path.expanduser(os.path.expandvars(p)) for p in search_path.split(os.pathsep)]
    return ServiceModels(extra_search_paths=paths)
