package imm

import "fmt"

// allPages calls fetch with each page's token, starting from the empty one,
// until a page comes back without a NextToken, and returns every item in the
// order the pages gave them.
func allPages[T any](fetch func(token string) (items []T, next string, err error)) ([]T, error) {
	return pagesUpTo(0, fetch)
}

// pagesUpTo is allPages that stops once it has limit items (0: no limit).
func pagesUpTo[T any](limit int, fetch func(token string) (items []T, next string, err error)) ([]T, error) {
	var all []T
	token := ""
	for {
		items, next, err := fetch(token)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if limit > 0 && len(all) >= limit {
			return all[:limit], nil
		}
		if next == "" {
			return all, nil
		}
		if next == token {
			return nil, nonRetryable{fmt.Errorf("imm: the service returned the same NextToken %q twice", next)}
		}
		token = next
	}
}
