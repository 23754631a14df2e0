// Services log one JSON line per request; keep test output readable unless asked for.
process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'warn';
