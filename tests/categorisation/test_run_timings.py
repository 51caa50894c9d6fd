from categorisation.models import Run


def test_run_timings_read_in_stage_order_with_the_total_last():
    run = Run(
        timings={"total": 4.6, "write": 2.4, "load": 0.6, "revised_data": 0.3, "categorise": 1.3}
    )
    assert run.timing_items == [
        ("Loading data", 0.6),
        ("Categorising", 1.3),
        ("Checking revised data", 0.3),
        ("Saving results", 2.4),
        ("Total", 4.6),
    ]


def test_an_unknown_stage_is_labelled_and_kept_before_the_total():
    run = Run(timings={"total": 2.0, "load": 1.0, "extra_step": 0.5})
    assert run.timing_items == [("Loading data", 1.0), ("Extra step", 0.5), ("Total", 2.0)]
