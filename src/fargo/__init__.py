"""fargo: a container on the internet as an HTTPS service on AWS ECS Fargate, with one command."""

__version__ = "0.1.0"
