-- A script that fails at run time (a typo in a command name).
return redis.call('DECRBYY', KEYS[1], ARGV[1])
