package provider

import (
	"context"
	"errors"
	"time"

	"github.com/immlabs/terraform-provider-imm/internal/clock"
	"github.com/immlabs/terraform-provider-imm/internal/imm"
)

// Waiting for IMM: its reads lag its writes and its tasks take time, so some
// steps read again until an answer says they may go on.

// errPollTimeout is poll's answer when the operation's time runs out.
var errPollTimeout = errors.New("the operation's timeout passed")

// poll calls try until it reports done, waiting between calls an interval
// that starts at first and doubles up to longest. It stops at try's first
// error, and with errPollTimeout when the context would end before the next
// call. It returns how many calls it made.
func poll(ctx context.Context, first, longest time.Duration, try func(context.Context) (done bool, err error)) (int, error) {
	delay := first
	for calls := 1; ; calls++ {
		done, err := try(ctx)
		if err != nil || done {
			return calls, err
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay {
			return calls, errPollTimeout
		}
		if clock.Sleep(ctx, delay) != nil {
			return calls, errPollTimeout
		}
		delay = min(2*delay, longest)
	}
}

// readUntilFound calls read until IMM stops answering ResourceNotFound (its
// reads lag its writes), waiting a growing interval between calls, while the
// context leaves time. When time runs out it returns the last not-found.
func readUntilFound[T any](ctx context.Context, read func(context.Context) (T, error)) (T, error) {
	var got T
	var readErr error
	_, err := poll(ctx, 500*time.Millisecond, 10*time.Second, func(ctx context.Context) (bool, error) {
		got, readErr = read(ctx)
		if imm.IsNotFound(readErr) {
			return false, nil
		}
		return true, readErr
	})
	if errors.Is(err, errPollTimeout) {
		return got, readErr
	}
	return got, err
}
