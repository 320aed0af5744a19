package emulator

import "time"

// This file runs what the clock brings: a clustering task ends, a binding
// starts and finishes its full scan, a trigger or batch starts, a batch
// ends. Nothing runs in the background: the first request at or after an
// event's time applies every due event, oldest first, each dated at its own
// time (see Emulator.settleDueTasks).

// dueEvent is one change the clock brings.
type dueEvent struct {
	at    time.Time
	apply func(s *service)
}

// nextEvent is the earliest pending event. Ties go to bindings, then
// batches and triggers, then tasks, so a clustering task that ends when a
// scan ends sees what the scan indexed.
func (s *service) nextEvent() (dueEvent, bool) {
	var next dueEvent
	found := false
	consider := func(at time.Time, apply func(*service)) {
		if !found || at.Before(next.at) {
			next, found = dueEvent{at: at, apply: apply}, true
		}
	}
	for _, b := range s.st.bindings.committed() {
		if at, ok := s.bindingEvent(b); ok {
			consider(at, func(s *service) { s.advanceBinding(b, at) })
		}
	}
	for _, kind := range []ingestionKind{kindBatch, kindTrigger} {
		for _, in := range s.st.table(kind).committed() {
			if at, ok := ingestionEvent(kind, in); ok {
				consider(at, func(s *service) { s.advanceIngestion(kind, in, at) })
			}
		}
	}
	for _, t := range s.st.tasks.committed() {
		if t.Status == taskRunning {
			consider(t.DueTime, func(s *service) { s.settleTask(t) })
		}
	}
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
