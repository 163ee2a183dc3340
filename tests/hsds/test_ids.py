import uuid

from hsds.ids import NAMESPACE, hsds_id


def test_ids_are_uuid5_of_the_record_names():
    for parts in [("service", 42), ("attribute", "service", "x", "language", "spanish"), ("a",)]:
        expected = uuid.uuid5(NAMESPACE, "/".join(map(str, parts)))
        assert hsds_id(*parts) == str(expected)
