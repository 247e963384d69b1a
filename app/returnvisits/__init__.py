"""Return visits (回访): the bureau draws a reproducible sample of residents recorded as served
and asks them, by phone or at their door, whether they received the service and how it was;
the answers feed the dashboard, the evaluation and the anomaly rules."""
