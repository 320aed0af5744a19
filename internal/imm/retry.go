package imm

import (
	"math/rand/v2"
	"time"
)

// backoff is the wait before the attempt after the given one: exponential
// growth from RetryBaseDelay, capped at RetryMaxDelay, with full jitter so
// that many clients throttled together do not retry together.
func (c *Client) backoff(attempt int) time.Duration {
	ceiling := c.cfg.RetryBaseDelay
	for i := 1; i < attempt && ceiling < c.cfg.RetryMaxDelay; i++ {
		ceiling *= 2
	}
	if ceiling > c.cfg.RetryMaxDelay {
		ceiling = c.cfg.RetryMaxDelay
	}
	return c.jitter(ceiling)
}

func fullJitter(ceiling time.Duration) time.Duration {
	if ceiling <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(ceiling) + 1))
}
