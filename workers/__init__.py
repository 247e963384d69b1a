"""Background work: queues, the worker, and job functions (one module per concern).

Jobs take ids, not objects, run inside an app context, are idempotent, and are
enqueued only after the commit that makes them meaningful.
"""
