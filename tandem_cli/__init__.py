"""`tandem`: the operator's and developer's command line (not shipped to Lambda)."""
