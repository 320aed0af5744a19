package emulator

import "time"

// This file runs what the clock brings: a clustering task ends, a binding
// starts and finishes its full scan, a trigger or batch starts, a batch
// ends. Nothing runs in the background: the first request at or after an
// event's time applies every due event, oldest first, each dated at its own
// time (see Emulator.settleDueTasks).

// dueEvent is one change the clock brings. rank and key order events due
// at the same time, so the order never depends on map iteration.
type dueEvent struct {
	at    time.Time
	rank  int
	key   string
	apply func(s *service)
}

func (e dueEvent) before(o dueEvent) bool {
	if !e.at.Equal(o.at) {
		return e.at.Before(o.at)
	}
	if e.rank != o.rank {
		return e.rank < o.rank
	}
	return e.key < o.key
}

// nextEvent is the earliest pending event. Ties go to bindings, then
// batches, then triggers, then tasks (so a clustering task that ends when a
// scan ends sees what the scan indexed), then to the smaller key. It runs
// after every write, so it walks the tables without sorting them.
func (s *service) nextEvent() (dueEvent, bool) {
	var next dueEvent
	found := false
	consider := func(ev dueEvent) {
		if !found || ev.before(next) {
			next, found = ev, true
		}
	}
	s.st.bindings.eachLatest(func(key string, b binding) {
		if at, ok := s.bindingEvent(b); ok {
			consider(dueEvent{at, 0, key, func(s *service) { s.advanceBinding(b, at) }})
		}
	})
	for rank, kind := range []ingestionKind{kindBatch, kindTrigger} {
		s.st.table(kind).eachLatest(func(key string, in ingestion) {
			if at, ok := ingestionEvent(kind, in); ok {
				consider(dueEvent{at, 1 + rank, key, func(s *service) { s.advanceIngestion(kind, in, at) }})
			}
		})
	}
	s.st.tasks.eachLatest(func(key string, t task) {
		if t.Status == taskRunning {
			consider(dueEvent{t.DueTime, 3, key, func(s *service) { s.settleTask(t) }})
		}
	})
	return next, found
}

// nextDue returns when the earliest pending event is due, if any is.
func (s *service) nextDue() (time.Time, bool) {
	ev, ok := s.nextEvent()
	return ev.at, ok
}

// settleDue applies every event due at or before now, oldest first, and
// reports how many it applied.
func (s *service) settleDue(now time.Time) int {
	n := 0
	for {
		ev, ok := s.nextEvent()
		if !ok || ev.at.After(now) {
			return n
		}
		ev.apply(s)
		n++
	}
}
