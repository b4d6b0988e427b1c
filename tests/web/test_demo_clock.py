"""The demo clock control: staff only, demo mode only, forward only, +1 or +7 days."""

from datetime import timedelta

from furima import clock
from furima.trades.models import ClockShift
from tests.clients import signed_in
from tests.factories import make_staff, make_user


def stored_shift() -> timedelta:
    row = ClockShift.objects.filter(pk=ClockShift.SINGLETON).first()
    return row.shift if row else timedelta()


def test_staff_move_the_demo_clock_forward_a_week(db, settings):
    settings.FURIMA_DEMO = True
    with clock.use(clock.DemoClock()):
        response = signed_in(make_staff()).post("/demo/clock/", {"days": "7", "next": "/mypage/"})
    assert response.status_code == 302 and response["Location"] == "/mypage/"
    assert stored_shift() == timedelta(days=7)


def test_the_clock_control_shows_only_for_staff_in_demo_mode(db, settings):
    settings.FURIMA_DEMO = True
    with clock.use(clock.DemoClock()):
        assert 'class="demo-clock"' in signed_in(make_staff()).get("/").content.decode()
        assert 'class="demo-clock"' not in signed_in(make_user()).get("/").content.decode()
    settings.FURIMA_DEMO = False
    assert 'class="demo-clock"' not in signed_in(make_staff()).get("/").content.decode()


def test_other_steps_and_other_people_cannot_move_the_clock(db, settings):
    settings.FURIMA_DEMO = True
    with clock.use(clock.DemoClock()):
        staff = signed_in(make_staff())
        staff.post("/demo/clock/", {"days": "-7"})
        staff.post("/demo/clock/", {"days": "365"})
        signed_in(make_user()).post("/demo/clock/", {"days": "7"})
    assert stored_shift() == timedelta()


def test_outside_demo_mode_the_clock_stays_put(db, settings):
    settings.FURIMA_DEMO = False
    signed_in(make_staff()).post("/demo/clock/", {"days": "7"})
    assert stored_shift() == timedelta()


def test_an_offsite_next_address_is_not_followed(db, settings):
    settings.FURIMA_DEMO = True
    with clock.use(clock.DemoClock()):
        response = signed_in(make_staff()).post(
            "/demo/clock/", {"days": "1", "next": "https://evil.example/"}
        )
    assert response["Location"] == "/"
