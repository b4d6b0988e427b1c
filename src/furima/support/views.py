"""The support desk: staff see the queue and open a trade to act on it as the operator."""

from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render

from furima.support.forms import SimulationForm
from furima.support.selectors import operator_queue
from furima.support.simulation import policy_comparison

QUEUE_SIZE = 100


@staff_member_required
def desk(request):
    return render(request, "support/desk.html", {"queue": operator_queue()[:QUEUE_SIZE]})


@staff_member_required
def simulation(request):
    """GET with the form's fields runs the comparison (a read: nothing is stored)."""
    form = SimulationForm(request.GET or None)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        result = policy_comparison(
            policy_keys=[data["policy_a"], data["policy_b"]],
            trades=data["trades"],
            seed=data["seed"],
        )
    status = 400 if form.errors else 200
    return render(
        request, "support/simulation.html", {"form": form, "result": result}, status=status
    )
