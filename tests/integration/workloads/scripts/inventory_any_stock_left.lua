-- The same script with the classic bug: it checks that some stock is left, not that enough is,
-- so a buyer of 3 when 1 is left drives the stock below zero: an oversell.
local left = tonumber(redis.call('GET', KEYS[1]) or '0')
local quantity = tonumber(ARGV[1])
if left > 0 then
  return {1, redis.call('DECRBY', KEYS[1], quantity)}
end
return {0, left}
