"""A handler that logs at every level and prints, to show how a function's LoggingConfig shapes its log."""

import logging

logger = logging.getLogger("orders")
logger.setLevel(logging.DEBUG)


def lambda_handler(event, context):
    logger.debug("debug detail")
    logger.info("order received")
    logger.warning("stock is low")
    logger.error("payment declined")
    print("plain print")
    if event.get("fail"):
        raise ValueError("bad order")
    return {"ok": True}
