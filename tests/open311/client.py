"""Open311 interoperability: an existing GeoReport v2 client library (georeport, from PyPI)
lists citygrid's services, reads requests back in JSON and in XML (parsed by xmltodict), and a
request is posted form-encoded as the specification describes (georeport itself has no post
call; the post uses `requests`, the HTTP library georeport is built on).

Usage: python client.py BASE_URL API_KEY
"""

import sys

import requests
from georeport import GeoReport


def main(base: str, api_key: str) -> int:
    root = f"{base.rstrip('/')}/open311/v2"
    failures = []

    def check(condition: bool, message: str) -> None:
        if not condition:
            failures.append(message)

    for fmt in ("json", "xml"):
        client = GeoReport(root, jurisdiction="citygrid", api_key=api_key, output_format=fmt)
        services = client.get_service_list()
        codes = {s["service_code"] for s in services}
        check("0501" in codes and len(codes) >= 20, f"{fmt}: services {sorted(codes)}")
        definition = client.get_service_definition("0501")
        check(definition.get("service_code") == "0501", f"{fmt}: definition {definition}")

    posted = requests.post(
        f"{root}/requests.json",
        data={
            "api_key": api_key,
            "jurisdiction_id": "citygrid",
            "service_code": "0101",
            "lat": "33.954102",
            "long": "116.7969832",
            "description": "exposed garbage by the shop door",
            "first_name": "Lin",
            "phone": "13700000000",
        },
        timeout=10,
    )
    check(posted.status_code == 201, f"post: {posted.status_code} {posted.text}")
    request_id = posted.json()[0]["service_request_id"]

    for fmt in ("json", "xml"):
        client = GeoReport(root, jurisdiction="citygrid", output_format=fmt)
        one = client.get_service_request(request_id)
        check(one["service_request_id"] == request_id, f"{fmt}: read back {one}")
        check(one["service_code"] == "0101" and one["status"] == "open", f"{fmt}: {one}")
        check(abs(float(one["lat"]) - 33.954102) < 1e-6, f"{fmt}: lat {one['lat']}")
        check("13700000000" not in str(one) and "Lin" not in str(one), f"{fmt}: personal data in {one}")
        listed = client.get_service_requests(service_request_id=request_id)
        if isinstance(listed, dict):  # xmltodict gives a dict for a single element
            listed = [listed]
        check([r["service_request_id"] for r in listed] == [request_id], f"{fmt}: listed {listed}")

    for f in failures:
        print(f"FAIL: {f}")
    print(f"open311 client: {0 if failures else 1} passed, {1 if failures else 0} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
