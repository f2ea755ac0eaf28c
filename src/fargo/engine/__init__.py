"""Talking to AWS: CloudFormation orchestration, health checks, the local emulator.

Nothing here imports troposphere: the engine deploys a rendered template body.
"""
