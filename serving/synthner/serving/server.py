"""Run the app with uvicorn: one process, inference in the app's own thread pool."""

import uvicorn
from synthner.serving.app import create_app
from synthner.serving.settings import ServeSettings

# uvicorn's access log would repeat what RequestContext logs, with less; its error log stays.
LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}
    },
    "loggers": {
        "synthner.serving": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
}


def serve(settings: ServeSettings) -> None:
    """Serve until interrupted (SIGINT/SIGTERM finish the requests in flight first)."""
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_config=LOG_CONFIG,
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=30,
    )
