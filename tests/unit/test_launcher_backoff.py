"""The run-services launcher's restart back-off: short at first, doubling, capped."""
from autocirc_gateway.launcher import RESTART_CAP_SECONDS, restart_delay


def test_restart_delay_doubles_from_half_a_second_up_to_the_cap():
    assert [restart_delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 4.0, 8.0]
    assert restart_delay(40) == RESTART_CAP_SECONDS == 30.0
