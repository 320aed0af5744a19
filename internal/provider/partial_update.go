package provider

// changedAttributes returns, in the given order, the attributes whose planned
// value differs from the prior state. An unknown planned value (an
// Optional+Computed argument left out of the configuration) is not a change:
// IMM keeps what it has. This is the one place that decides what an update
// sends; every resource builds its partial Update* request from its answer,
// and no answer means no call.
func changedAttributes(plan, state any, names []string) []string {
	var changed []string
	for _, name := range names {
		planned := attributeValue(plan, name)
		if planned.IsUnknown() {
			continue
		}
		if !planned.Equal(attributeValue(state, name)) {
			changed = append(changed, name)
		}
	}
	return changed
}

// updatableAttribute is an attribute that an Update* request can change, with
// the function that copies its planned value into the request.
type updatableAttribute[R, M any] struct {
	name string
	set  func(req *R, plan *M)
}

// buildPartialUpdate copies into req the planned value of every updatable
// attribute that changed, and returns their names. None changed: no call.
func buildPartialUpdate[R, M any](req *R, plan, state *M, attrs []updatableAttribute[R, M]) []string {
	names := make([]string, len(attrs))
	setters := make(map[string]func(*R, *M), len(attrs))
	for i, a := range attrs {
		names[i], setters[a.name] = a.name, a.set
	}
	changed := changedAttributes(plan, state, names)
	for _, name := range changed {
		setters[name](req, plan)
	}
	return changed
}
