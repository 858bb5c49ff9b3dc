"""The CDK app that deploys Tandem to AWS."""
