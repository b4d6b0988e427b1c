"""What a shipping address must look like: a 7-digit postal code however it is typed, one of
the 47 prefectures, a Japanese phone number; stored normalised. No database needed."""

import pytest

from furima.shipping.prefectures import prefecture_find, prefectures
from furima.shipping.validation import (
    MAX_LINE_LENGTH,
    MAX_NAME_LENGTH,
    AddressInvalid,
    address_fields_clean,
    phone_clean,
    postal_code_clean,
)
from tests.factories import ADDRESS


@pytest.mark.parametrize(
    "typed",
    [
        "1500001",
        "150-0001",
        "１５０－０００１",
        "１５００００１",
        "〒150-0001",
        " 150ー0001 ",
        "150−0001",
    ],
)
def test_a_postal_code_is_stored_as_seven_digits_however_it_is_typed(typed):
    assert postal_code_clean(typed) == "1500001"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "150000",  # 6 digits
        "15000011",  # 8 digits
        "15-00001",  # the hyphen in the wrong place
        "150--0001",
        "150-000a",
        "١٥٠٠٠٠١",  # digits, but not Japanese ones
        "150 0001 1",
    ],
)
def test_anything_but_seven_digits_is_refused_naming_the_field(typed):
    with pytest.raises(AddressInvalid) as refused:
        postal_code_clean(typed)
    assert (refused.value.field, refused.value.code) == ("postal_code", "invalid_input")


def test_the_47_prefectures_are_data_in_jis_order():
    found = prefectures()
    assert len(found) == 47
    assert (found["01"].ja, found["13"].ja, found["47"].ja) == ("北海道", "東京都", "沖縄県")
    assert list(found) == [f"{n:02d}" for n in range(1, 48)]


@pytest.mark.parametrize("named", ["13", "東京都", "Tokyo", "tokyo", " 13 "])
def test_a_prefecture_may_be_named_by_code_or_name(named):
    assert prefecture_find(named).code == "13"


@pytest.mark.parametrize("named", ["", "00", "48", "東京", "Tokyo-to", "カリフォルニア", "1"])
def test_a_prefecture_outside_the_47_is_refused(named):
    with pytest.raises(AddressInvalid) as refused:
        address_fields_clean(**{**ADDRESS, "prefecture": named})
    assert refused.value.field == "prefecture"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("090-1234-5678", "090-1234-5678"),
        ("09012345678", "090-1234-5678"),
        ("０９０－１２３４－５６７８", "090-1234-5678"),
        ("+81 90 1234 5678", "090-1234-5678"),
        ("03-1234-5678", "03-1234-5678"),
    ],
)
def test_a_phone_number_is_stored_in_the_national_format(typed, stored):
    assert phone_clean(typed) == stored


@pytest.mark.parametrize(
    "typed", ["", "1234", "090-1234-56789", "abc", "+1 212 555 0100", "0" * 31]
)
def test_a_phone_number_that_is_not_japanese_and_valid_is_refused(typed):
    with pytest.raises(AddressInvalid) as refused:
        phone_clean(typed)
    assert refused.value.field == "phone"


def test_a_whole_address_is_normalised():
    clean = address_fields_clean(
        name=" 山田　太郎 ",
        postal_code="１５０－０００１",
        prefecture="東京都",
        city="渋谷区",
        address_line1="神宮前１－２－３",
        address_line2="",
        phone="０９０ １２３４ ５６７８",
    )
    assert clean.as_dict() == {
        "name": "山田 太郎",  # NFKC: the full-width space is a space
        "postal_code": "1500001",
        "prefecture": "13",
        "city": "渋谷区",
        "address_line1": "神宮前1-2-3",
        "address_line2": "",
        "phone": "090-1234-5678",
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "あ" * (MAX_NAME_LENGTH + 1)),
        ("city", "  "),
        ("address_line1", ""),
        ("address_line2", "x" * (MAX_LINE_LENGTH + 1)),
        ("address_line1", "神宮前\n1-2-3"),
    ],
)
def test_required_lines_and_lengths_are_checked(field, value):
    with pytest.raises(AddressInvalid) as refused:
        address_fields_clean(**{**ADDRESS, field: value})
    assert refused.value.field == field


def test_the_longest_allowed_lines_pass():
    clean = address_fields_clean(
        **{**ADDRESS, "name": "あ" * MAX_NAME_LENGTH, "address_line2": "x" * MAX_LINE_LENGTH}
    )
    assert len(clean.name) == MAX_NAME_LENGTH
