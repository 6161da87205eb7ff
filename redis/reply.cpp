#include "redis/reply.hpp"
