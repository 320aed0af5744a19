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
//     clusterquery.go, labelquery.go, tasks.go, figures.go, bindings.go,
//     indexing.go, files.go, attachments.go, ingestion.go and ingestion_actions.go
//     (triggers and batches), due.go (what the clock brings), sts.go, plus
//     oss.go (the fake OSS, the world IMM looks at): one function per
//     action, from a typed request to a typed response or an IMM error;
//   - wire: api.go, params.go, signature.go, auth.go, errors.go, xml.go, plus
//     traffic.go (throttling, faults, latency), requestlog.go, persist.go
//     and control.go (the /_emulator/ endpoints), ui.go (the dashboard).
//
// It must stay an independent oracle: it imports nothing from
// internal/imm or internal/provider, and nothing from hashicorp/terraform-*.
// Time comes from internal/clock, so tests can share a fake clock with the
// provider.
//
// # Control endpoints
//
// Under /_emulator/, unsigned, loopback clients only (others get 403), and
// only requests addressed to a loopback name with no Origin but the
// emulator's own, so that a web page of another site cannot reach them
// through the developer's browser (a cross-site form post, DNS rebinding):
// POST reset; GET and DELETE requests (the request log); POST figures (a
// FigureSeed or an array); POST and DELETE files
// ({"ProjectName","DatasetName","URIs":[...]}); GET and PUT config (Config
// JSON; absent fields stay unchanged); POST, GET and DELETE oss/objects
// (the fake OSS: OSSContents to upload and list, OSSRemoval to delete); GET
// and PUT state (the whole state, in the data file's format).
//
// GET ui is a dashboard for people (ui.go, with its page, script and style
// sheet embedded from ui/): the state's tables, the newest 200 requests
// with their status and code, and a form for the traffic configuration.
// It renders what GET state, GET requests and GET config answer (no view
// of its own into the store), escapes every value, and its script polls
// those endpoints every second and sends the form as PUT config. Its
// Content-Security-Policy allows only its own script, style and fetches.
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
//   - Exceptions, as imm-api.md §11 suggests: a binding action without
//     DatasetName or URI is 400 MissingDatasetName / MissingURI "X is
//     mandatory for this action." (the newest SDK marks both optional; the
//     emulator still requires them), and a binding URI that is not exactly
//     oss://<bucket> is 400 InvalidURI "Specified parameter URI is not
//     valid: ...".
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
//   - DeleteProject of a project with datasets, triggers or batches (IMM
//     asks for datasets, bindings, batches and triggers to be deleted
//     first; bindings belong to datasets), and DeleteDataset of a dataset
//     with bindings, then with files, are 400 InvalidArgument with a message
//     that names what remains. Deleting a project forgets its tasks and
//     removes its OSS bucket attachments (not in IMM's list of
//     preconditions).
//   - Files come from bindings (see below) and from AddFiles/RemoveFiles and
//     /_emulator/files (a back door for tests), and go with DeleteFileMeta
//     and BatchDeleteFileMeta (see File metadata); they have no size, so
//     TotalFileSize is always 0. Faces seeded with AddFigures are not
//     files.
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
//     default, 100; Options.MaxPageSize caps every page.
//
// The fake OSS and bindings
//   - The fake OSS holds objects (oss://bucket/key, with the faces a
//     recogniser would find: Person, Gender, Age) and buckets. It is the
//     world, not IMM's state: it does not lag. A bucket exists once an
//     object is put in it or it is named in OSSContents.Buckets; it stays
//     when its objects go, until DELETE names it. Writing an existing URI
//     overwrites the object. Every write takes the next sequence number,
//     which is how triggers and batches tell new objects from old ones.
//   - A binding's URI is exactly oss://<bucket> (3-63 of a-z, 0-9 and -,
//     starting and ending with a letter or digit): prefixes are refused
//     (InvalidURI), since IMM documents no prefix form, so a binding covers
//     a whole bucket.
//   - CreateBinding needs the project and the dataset; the same URI twice
//     in a dataset is ResourceAlreadyExists (binding); one bucket may be
//     bound to several datasets. A dataset holds at most its own
//     DatasetMaxBindCount bindings (the project's value is not consulted),
//     else 400 LimitExceededError. BindCount is the dataset's bindings in
//     the reader's snapshot.
//   - A binding is Ready (Phase "") for the first tenth of
//     Options.ScanDuration (default 3s, on the emulator's clock), then
//     Running in phase FullScanning; when ScanDuration has passed since its
//     creation it indexes every object then in the bucket (so objects
//     uploaded during the scan are included) and moves to phase
//     IncrementalScanning. If the bucket does not exist when it starts, it
//     is Failed with Reason "The OSS bucket B does not exist." Stopped,
//     Retrying and Deleted never occur; UpdateTime stays CreateTime (IMM
//     moves it only on pauses, retries and restarts). Reason is always
//     present, Detail and Filters never.
//   - Past its full scan, a binding indexes an uploaded object at once, the
//     same for an overwrite (its faces are replaced), and drops a deleted
//     object (the file and its faces) from the dataset. Nothing is
//     indexed during Ready or FullScanning except by the scan's end.
//   - Indexing an object adds its URI to the dataset's files and its faces
//     to the dataset's seed figures, the storage AddFigures fills, so a
//     clustering task clusters them exactly like seeded ones. Faces are
//     indexed whatever the workflow template. A FigureId is derived from
//     the dataset incarnation, the URI and the face's position, so
//     indexing an object again never clusters a face twice; a face already
//     clustered stays in its cluster when its object is overwritten. An
//     object deleted from OSS is forgotten as DeleteFileMeta forgets it
//     (below): its faces leave their clusters. Objects beyond
//     DatasetMaxFileCount are skipped.
//   - DeleteBinding removes the binding at once (GetBinding is
//     ResourceNotFound afterwards); the files it indexed stay and OSS
//     changes no longer reach the dataset. ListBindings without
//     DatasetName lists the whole project's bindings, by dataset name then
//     URI; its Name parameter is ignored.
//
// File metadata
//   - DeleteFileMeta (URI) and BatchDeleteFileMeta (URIs, a JSON array of 1
//     to 100 non-empty URIs) succeed whether or not the dataset holds the
//     files, as IMM documents; the dataset must exist. Any non-empty URI is
//     accepted. Deleting an image's metadata drops its file, every face the
//     emulator has for that URI in the dataset (indexed by a binding or
//     seeded with AddFigures), and those faces from their clusters: a
//     cluster left without faces disappears (IMM: a cluster vanishes with
//     its images), one that keeps some gets its first remaining face as
//     cover when its cover went, and its UpdateTime moves (not its
//     MetaLockVersion). A face taken out is clustered again by the next
//     task if its image is indexed again. The OSS object stays.
//   - SimpleQuery lists a dataset's files (the documented way to enumerate
//     them; IMM has no ListFiles). Query is optional (no Query: every
//     file); the emulator evaluates and, or and not over SubQueries (not:
//     none of them holds) and eq and prefix on the field URI only, at most
//     5 levels deep; any other operation or field, Aggregations, and a Sort
//     other than URI are 400 InvalidArgument saying so. Without Sort files
//     come in ascending URI order; Sort=URI takes Order desc (IMM's
//     default) or asc. MaxResults is 0-100 (0: 100). WithFields is accepted
//     and ignored. NextToken is always in the answer, empty on the last
//     page (the SDK marks it required, "empty: no next page"); TotalHits
//     is the number of matching files unless WithoutTotalHits=true.
//   - A File carries URI, ProjectName, DatasetName, ObjectType "file",
//     Filename (the last part of the URI), FigureCount and Figures
//     (FigureId, FigureType "face", FigureClusterId, Gender, Age); a face
//     no task has clustered yet has FigureClusterId
//     "figure-cluster-id-unavailable" (a value IMM reserves). Files have no
//     size or times. The file list is read from the lagging snapshot, the
//     faces and their clusters from the world.
//
// OSS bucket attachments
//   - AttachOSSBucket needs the project and a bucket name (not a URI);
//     bucket existence is not checked. A bucket is attached to at most one
//     project: attaching it again (to any project) is ResourceAlreadyExists
//     (attachment); Get and Detach of an unattached bucket are
//     ResourceNotFound (attachment). There is no update: a new Description
//     takes Detach and Attach. Description is 1-128 characters. Detaching
//     is allowed while triggers or batches use the bucket.
//   - GetOSSBucketAttachment answers ProjectName, Description, CreateTime
//     and UpdateTime at the top level; times are RFC3339Nano in UTC+08:00.
//     ListAttachedOSSBuckets lists a project's attachments by bucket name.
//
// Triggers and batches
//   - Their write actions read parameters from the form body like every
//     action (the SDK sends them there, imm-api.md §10.1). Input must name
//     Input.OSS.Bucket; Prefix selects objects by key prefix;
//     MatchExpressions are kept but not interpreted. Actions needs at least
//     one action with a Name (any name); FastFailPolicy.Action is abort or
//     ignore. UpdateTrigger and UpdateBatch read the same action shape,
//     FastFailPolicy included. ServiceRole, when absent, is
//     AliyunIMMBatchTriggerRole (empty is refused, as everywhere).
//     Notification is {"MNS":{"TopicName"}};
//     nothing is delivered. Tags is any JSON object.
//   - Both are Ready for the first tenth of ScanDuration, then start: if
//     their Input bucket is not attached to their project they are Failed
//     with an Error saying so, else Running. Ids are trigger-<uuid> and
//     batch-<uuid>; times are UTC, whole seconds, like IMM's samples.
//   - A running trigger (Phase IncrementalScanning) processes every object
//     written under its input after its creation (an overwrite counts
//     again), one submitted task per object (Statistic.SubmitSuccess);
//     Marker shows the last object processed. A suspended trigger keeps its
//     place and catches up when resumed.
//   - A batch processes the objects under its input that were there when
//     it was created and still are: it runs (Phase FullScanning) for
//     ScanDuration, then is Succeeded with one submitted task per object.
//     Suspended, it keeps the time it had left; resumed from Failed it
//     runs ScanDuration again.
//   - State rules, as documented: Update in Ready or Failed (also
//     Suspended with Options.UpdateWhenSuspended), state unchanged;
//     Suspend only Running; Resume in Suspended or Failed (it checks the
//     attachment again); Delete in anything but Running. A refusal is 400
//     InvalidArgument naming the state and the operation. Update, Suspend
//     and Resume set UpdateTime; starting, failing and finishing on the
//     clock do not.
//   - ListTriggers and ListBatches sort by CreateTime unless Sort is
//     UpdateTime, Id breaking ties; Order is ASC (default) or DESC (DES
//     too, as the batch doc spells it), any case; State filters on one
//     state; TagSelector takes the CustomLabels grammar (key=value joined
//     by " and ") over Tags. MaxResults is 0-100.
//
// Figure clusters and tasks
//   - Faces come from seeds keyed by project and dataset name, filled by
//     AddFigures (and /_emulator/figures, -seed) and by bindings indexing
//     the fake OSS; seeds may arrive before the dataset exists and survive
//     its deletion. A seed
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
//     read action (Get*, List*, Query*, BatchGet*, GetTask; bindings,
//     attachments, triggers and batches included) reads a snapshot
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
//     Running tasks, scans, triggers and batches carry on; seeds, the fake
//     OSS, cluster assignments and issued STS credentials are kept; nonces,
//     throttling buckets and the log are not. Reset rewrites the file empty.
//     A failed write is reported by Close. Format 1 files (before bindings)
//     still load.
//   - GET /_emulator/state (State) returns the same document as the data
//     file; PUT /_emulator/state (SetState) replaces the whole state with
//     one, as a restart with it would, keeping the log, nonces, throttling
//     and traffic settings. A document that does not load changes nothing.
//   - Reset keeps the traffic configuration.
//
// Options.Rand is a math/rand/v2 generator; it drives the read lag and the
// fault draws, so a seeded one makes them repeatable.
package emulator
