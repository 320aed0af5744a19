// Package emulator is an in-memory Alibaba Cloud Intelligent Media
// Management (IMM) 2020-09-30 service, plus the STS AssumeRole action, over
// net/http. Alibaba's own OpenAPI client (darabonba-openapi v2, V3 or V2
// signatures) and credentials-go's RAM-role provider talk to it unchanged.
// It is the provider's test oracle, its benchmark target, the README demo's
// backend, and a tool users run to test their own modules offline.
//
// It is a library first (New, Handler, Start, URL) with a thin command
// (internal/cmd/imm-emulator). Three layers, each in its own files:
//
//   - storage: store.go, a versioned store that keeps every object's recent
//     versions so reads can lag writes;
//   - behaviour: service.go, projects.go, datasets.go, clusters.go,
//     clusterquery.go, labelquery.go, tasks.go, figures.go, sts.go: one
//     function per action, from a typed request to a typed response or an
//     IMM error;
//   - wire: api.go, params.go, signature.go, auth.go, errors.go, xml.go, plus
//     traffic.go (throttling, faults, latency), requestlog.go, persist.go
//     and control.go (the /_emulator/ endpoints).
//
// It must stay an independent oracle: it imports nothing from
// internal/imm or internal/provider, and nothing from hashicorp/terraform-*.
// Time comes from internal/clock, so tests can share a fake clock with the
// provider.
//
// # Control endpoints
//
// Under /_emulator/, unsigned, loopback clients only (others get 403):
// POST reset; GET and DELETE requests (the request log); POST figures (a
// FigureSeed or an array); POST and DELETE files
// ({"ProjectName","DatasetName","URIs":[...]}); GET and PUT config (Config
// JSON; absent fields stay unchanged).
//
// # Decisions where IMM's documents are silent
//
// Errors
//   - A missing required parameter (absent or empty) is 400 InvalidArgument
//     "The parameter X is required but not provided." (the example on IMM's
//     error page), not MissingParameter.
//   - Every refused value (malformed number, boolean or time, out of range,
//     bad name, bad tag) is 400 InvalidArgument whose message names the
//     parameter and the allowed range; malformed JSON in a shrink parameter
//     (or JSON of the wrong shape) is 400 InvalidJSON. 400
//     LimitExceededError "Message: resource count exceeds the limit (...)"
//     is kept for resource-count quotas (projects, datasets, files).
//   - ResourceNotFound and ResourceAlreadyExists are HTTP 400 with IMM's
//     templates; the resource types are project, dataset, figure-cluster
//     and task. When a parent is missing, the parent is named.
//   - Unknown actions (including real IMM actions the emulator does not
//     serve) are 400 InvalidAction.NotFound; a known action with another
//     Version is 400 InvalidVersion; no action at all is 400
//     MissingParameter.
//   - Unknown business parameters are ignored.
//   - Every answer, success or error, is JSON with a RequestId (an upper-case
//     UUID, also in the x-acs-request-id header). Errors carry RequestId,
//     HostId (the request's Host), Code, Message and Recommend
//     (https://next.api.aliyun.com/troubleshoot?q=CODE&product=imm, or
//     product=Sts). A panic is answered 500 InternalError.
//   - Format=XML (the RPC common parameter, any case; from the query and
//     form body, or from the query alone for refusals made before the body
//     is read) answers the same content as XML, Content-Type
//     text/xml;charset=utf-8: an XML declaration, then a root named after
//     the action + "Response" (Error for errors, holding RequestId, HostId,
//     Code, Message, Recommend), one element per JSON field in order. An
//     array is one element per item, each named after the array (an empty
//     array leaves none); numbers keep every digit; null is empty. A field
//     name that is no XML name (a custom label "say hi") has each character
//     that cannot stand there replaced by '_', and a leading digit, '-' or
//     '.' gets a '_' before it. Any other Format, or none, is JSON.
//
// Parameters
//   - Parameters come from the query and an
//     application/x-www-form-urlencoded body, merged; the body wins on a
//     clash (darabonba's V2 signer signs Merge(query, body)). Other body
//     types carry no parameters. A repeated key keeps its first value. A
//     malformed query or body is 400 InvalidParameter.
//   - Bodies over 1 MiB are 413 RequestEntityTooLarge. (Over-long headers
//     are refused by net/http itself, not as JSON.)
//   - An empty value ("Key=") of a number, boolean or JSON parameter counts
//     as absent. An empty Description, ServiceRole or TemplateId is 400
//     InvalidArgument: IMM documents Description as 1–256 characters (the
//     limit counts characters) and no way to unset any of the three, and
//     the provider refuses "" for each as well.
//   - "/" answers POST and GET; other paths are 404 NotFound, other methods
//     405 MethodNotAllowed.
//
// Projects and datasets
//   - Times: Create/UpdateTime are RFC3339Nano in UTC+08:00, like the
//     service's samples; GetTask's StartTime/EndTime are RFC3339Nano UTC;
//     STS Expiration is 2006-01-02T15:04:05Z.
//   - UpdateProject's Tag replaces the whole tag set and Tag=[] clears it;
//     ListProjects' Tag filter keeps projects that carry every given tag
//     with exactly the given value. A tag set holds at most 20 tags with
//     distinct Keys of 1–128 characters and Values of 0–128.
//   - Every successful Update* sets UpdateTime, even when nothing changed.
//   - Dataset limits default to the documented constants; they are not
//     inherited from the project's DatasetMax* values. The reserved limits
//     (DatasetMaxEntityCount, DatasetMaxRelationCount,
//     DatasetMaxTotalFileSize) accept 1..2^63-1 and are not enforced.
//   - Lowering ProjectMaxDatasetCount or DatasetMaxFileCount below the
//     current count is allowed; only new datasets or files are refused.
//   - The project quota (Options.ProjectQuota, default 100) is per emulator,
//     which stands for one region.
//   - DeleteProject of a project with datasets, and DeleteDataset of a
//     dataset with files, are 400 InvalidArgument with a message that says
//     so. Deleting a project forgets its tasks.
//   - Files exist only through AddFiles/RemoveFiles and /_emulator/files
//     (the emulator's stand-in for file indexing); they have no size, so
//     TotalFileSize is always 0. Seeded faces are not files.
//   - A project's FileCount and TotalFileSize are 0 unless WithStatistics is
//     true. A dataset's FileCount is always current.
//   - Responses always carry Tags ([] when none), WorkflowParameters ([]
//     when none) and CustomLabels ({} when none).
//
// Paging
//   - NextToken is opaque: base64url of the list's identity and the last key
//     returned; the next page starts after that key, so paging survives
//     concurrent inserts and deletes. A token from another list (another
//     project or dataset, another Sort or Order) is 400 InvalidArgument.
//     NextToken is left out of the last page. MaxResults 0 means the
//     default; Options.MaxPageSize caps every page.
//
// Figure clusters and tasks
//   - Faces come from seeds keyed by project and dataset name; seeds may
//     arrive before the dataset exists and survive its deletion. A seed
//     figure without FigureId gets a UUID; seeding a FigureId again
//     replaces that figure. A figure needs a URI and a non-negative Age.
//   - A clustering task takes Options.TaskDuration on the emulator's clock.
//     It reads the seeds when it ends, so faces seeded while it runs are
//     included. It groups the not-yet-clustered figures by Person (an empty
//     Person makes a cluster of one) and adds them to that person's cluster,
//     creating it if needed. Its effects are committed dated at its end
//     time, by the first request that comes after it.
//   - A cluster's Gender is the most common among its figures (figures
//     without one are ignored; ties go to the alphabetically first);
//     Min/Max/AverageAge come from the figures' Age; ImageCount counts
//     distinct URIs; VideoCount is 0; the cover is the first figure; OwnerId
//     is 1000000000000000. Growth by a later task sets UpdateTime but keeps
//     the cover and MetaLockVersion.
//   - The figure-to-cluster assignment belongs to the dataset: deleting the
//     dataset deletes its clusters, a recreated dataset of the same name
//     clusters its seeds afresh, and a task whose dataset was deleted (or
//     recreated) before its end ends Failed with Code ResourceNotFound.
//   - TaskId is "FaceClustering-<uuid>"; EventId is an upper-case UUID.
//     GetTask with another TaskType is ResourceNotFound. Progress grows with
//     the time spent and is 100 when done. Notification and Tags are
//     checked as JSON; notifications are not delivered.
//   - BatchGetFigureCluster answers in the order asked and leaves out
//     unknown and repeated IDs; it takes at most 100 IDs.
//   - QueryFigureClusters sorts by ObjectId when Sort is absent; GroupName
//     sorts by Name; ObjectId breaks ties. Order is case-insensitive.
//     Time ranges are RFC 3339, both ends optional and inclusive.
//     TotalCount is present only with WithTotalCount=true.
//   - QueryFigureClusters' CustomLabels (IMM shows only `key=value`) is
//     conditions joined by "and" (any case) with white space (Unicode
//     White_Space) on both sides; white space may also stand around the
//     query and around "=". A condition is key=value. A key is one or more
//     characters other than white space, `=`, `"` and `\`. A value is
//     either bare, one or more characters other than white space, `"` and
//     `\` (`=` allowed: k=a=b means "a=b"), or quoted: `"` ... `"` holding
//     any characters, with `"` and `\` written `\"` and `\\` (no other
//     escapes; k="" is the empty value; `'` is an ordinary character, so
//     k='x' means "'x'"). Anything else is 400
//     InvalidArgument saying what was expected where. A condition holds
//     when the cluster has the label (keys are case-sensitive) and its
//     value, a JSON string without its quotes or any other JSON as its
//     text, equals the value exactly; all conditions must hold.
//     DECISIONS.md gives the same grammar, which the provider writes (every
//     value quoted).
//   - UpdateFigureCluster changes only the fields given (Name and CustomId
//     can be set to ""); CustomLabels, when given, replaces the whole map;
//     Cover must name exactly one figure of that cluster; a given
//     MetaLockVersion that differs from the stored one is 400
//     InvalidArgument naming MetaLockVersion; each success adds one to it.
//     Unknown fields of FigureCluster are ignored.
//
// Signatures and credentials
//   - A request with an Authorization header is checked as V3
//     (ACS3-HMAC-SHA256 only; ACS3-HMAC-SM3 and ACS3-RSA-SHA256 are refused
//     as IncompleteSignature), else one with a Signature parameter as V2
//     (HMAC-SHA1, SignatureVersion 1.0; bearer tokens refused); neither is
//     400 IncompleteSignature. V3 must sign host, x-acs-action,
//     x-acs-version, x-acs-date, x-acs-signature-nonce and
//     x-acs-content-sha256, with lower-case SignedHeaders; an
//     x-acs-content-sha256 that is not the body's hash is
//     SignatureDoesNotMatch. A V3 mismatch says "Specified signature does not
//     match our calculation. server StringToSign is [...] server
//     CanonicalRequest is [...]"; a V2 one says the gateway's V2 text,
//     "Specified signature is not matched with our calculation. server
//     string to sign is:" directly followed by the string to sign, which
//     alibaba-cloud-sdk-go and the Node clients compare with their own to
//     tell the user the secret is wrong.
//   - Checks run in this order: signature (key, token, body hash,
//     signature), request time, nonce, action and version, throttling,
//     fault, action.
//   - Request times (x-acs-date, Timestamp) are checked against the wall
//     clock, not Options.Clock, because clients sign with wall time: more
//     than 15 minutes off is 400 InvalidTimeStamp.Expired, unparseable is
//     400 InvalidTimeStamp.Format. A nonce seen from the same AccessKey in
//     the last 15 minutes is 400 SignatureNonceUsed; only verified requests
//     record their nonce.
//   - An unknown AccessKey is 404 InvalidAccessKeyId.NotFound. A temporary
//     key without a token, or with an unknown token, is 400
//     InvalidSecurityToken.Malformed; with another key's token, or a
//     long-term key with any token, 400
//     InvalidSecurityToken.MismatchWithAccessKey; after its Expiration (on
//     Options.Clock) 400 InvalidSecurityToken.Expired. There is no RAM
//     policy model: any valid credential may call every action.
//   - AssumeRole: RoleArn must be acs:ram::<digits>:role/<name>
//     (InvalidParameter.RoleArn); a missing RoleArn or RoleSessionName is
//     MissingRoleArn / MissingRoleSessionName; RoleSessionName is 2–64 of
//     [A-Za-z0-9.@_-]; DurationSeconds is 900–43200 (default 3600), at most
//     3600 when the caller is itself a temporary key (role chaining); a
//     Policy must be a JSON document of at most 2048 bytes and is not
//     enforced; ExternalId is ignored. Options.Roles compares ARNs
//     case-insensitively; a role not in it is 404 EntityNotExist.Role naming
//     the ARN. Temporary AccessKey IDs are "STS." and 24 characters.
//     Issued credentials are kept (and persisted) until Reset.
//
// Eventual consistency
//   - Writes commit at once and validate against the committed state. Every
//     read action (Get*, List*, Query*, BatchGet*, GetTask) reads a snapshot
//     at now minus a lag: "random" draws each read's lag uniformly from
//     [0, PropagationDelay], "fixed" uses the whole delay, a delay of 0
//     reads the committed state. Parents and counts (DatasetCount) are read
//     from the same snapshot.
//   - Versions no snapshot can see (older than now minus the current delay)
//     are pruned now and then; raising the delay at run time cannot bring
//     them back.
//
// Traffic
//   - Throttling is a token bucket per verified AccessKey ID, refilled on
//     Options.Clock (so it is deterministic under a fake clock, and frozen
//     with it), with a burst of one second's worth (at least 1). Refusals
//     are 429 Throttling.User "Request was denied due to user flow control."
//     with x-acs-retry-after in milliseconds. Changing QPS empties the
//     buckets.
//   - Throttling and faults apply to IMM actions only, not to AssumeRole
//     (credentials-go does not retry) nor /_emulator/. Latency applies to
//     every IMM and STS response, errors included, in real time.
//   - Fault kinds are drawn evenly from Options.FaultKinds /
//     Config.FaultKinds: InternalError (500) and ServiceUnavailable (503)
//     are answered without processing; ConnectionClosed processes (a write
//     commits) and then drops the connection (Start serves HTTP/1.1 only,
//     so the connection can be hijacked); ResponseHeld processes and holds
//     the answer until the client leaves, FaultHold passes (real time) or
//     the emulator closes, then sends it if anyone still listens.
//   - SetConfig applies QPS and FaultRate always and keeps the current
//     value for empty strings and a nil FaultKinds; PUT /_emulator/config
//     keeps absent fields.
//
// Request log and persistence
//   - The log records IMM and STS requests only (not /_emulator/, not
//     requests to other paths), including refused ones; Time is on
//     Options.Clock; AccessKeyId is the key the request claims, even when
//     its signature fails; Params are the business parameters exactly as
//     sent. An entry is added when its answer is decided (a held response
//     when its hold ends); Status 0 with Code ConnectionClosed or
//     ResponseHeld means no response reached the client. The log file is
//     append-only: ClearRequests and Reset empty the in-memory log only. The
//     in-memory log holds at most MaxLoggedRequests entries; when it fills,
//     the oldest tenth goes.
//   - The data file holds the committed state (no version history): on New
//     it is restored dated at the zero time, so every reader sees it at once.
//     Running tasks keep running; seeds, cluster assignments and issued STS
//     credentials are kept; nonces, throttling buckets and the log are not.
//     Reset rewrites the file empty. A failed write is reported by Close.
//   - Reset keeps the traffic configuration.
//
// Options.Rand is a math/rand/v2 generator; it drives the read lag and the
// fault draws, so a seeded one makes them repeatable.
package emulator
