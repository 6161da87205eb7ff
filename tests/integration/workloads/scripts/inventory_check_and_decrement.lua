-- A user's coupon script: take `quantity` units only if that many are left.
-- KEYS[1] the item's stock key, ARGV[1] the quantity. Returns {1, left} sold, {0, left} sold out.
local left = tonumber(redis.call('GET', KEYS[1]) or '0')
local quantity = tonumber(ARGV[1])
if left >= quantity then
  return {1, redis.call('DECRBY', KEYS[1], quantity)}
end
return {0, left}
