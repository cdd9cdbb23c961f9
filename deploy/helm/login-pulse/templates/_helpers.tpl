{{/*
The five services, in pipeline order. Each has a values section of its name and runs as a Deployment of that name.
*/}}
{{- define "login-pulse.services" -}}
generator cleaner stats archiver dashboard
{{- end }}

{{/* Services that get a PodDisruptionBudget and, optionally, a HorizontalPodAutoscaler. */}}
{{- define "login-pulse.scalableServices" -}}
cleaner stats
{{- end }}

{{/* Whether a service is deployed: only the generator can be switched off. */}}
{{- define "login-pulse.enabled" -}}
{{- $values := index .root.Values .name -}}
{{- if hasKey $values "enabled" -}}{{ $values.enabled }}{{- else -}}true{{- end -}}
{{- end }}

{{- define "login-pulse.chart" -}}
{{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object of component .name; `app` is the service name (= image name = application name). */}}
{{- define "login-pulse.labels" -}}
app: {{ .name }}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/part-of: login-pulse
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ include "login-pulse.chart" .root }}
{{- end }}

{{- define "login-pulse.selectorLabels" -}}
app: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}

{{/* Every pod of this release (services, embedded Kafka, topic job). */}}
{{- define "login-pulse.releasePodSelector" -}}
app.kubernetes.io/part-of: login-pulse
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "login-pulse.image" -}}
{{- $tag := .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- $repository := printf "%s/%s" .root.Values.image.repositoryPrefix .name -}}
{{- if .root.Values.image.registry -}}
{{- $repository = printf "%s/%s" (trimSuffix "/" .root.Values.image.registry) $repository -}}
{{- end -}}
{{ printf "%s:%s" $repository $tag }}
{{- end }}

{{/*
The embedded cluster's bootstrap address: its headless Service, whose name resolves to every node's address (not-ready
ones included), which a Kafka client tries in turn (client.dns.lookup=use_all_dns_ips, the default); after the
bootstrap, clients reach each node at its advertised kafka-<n>.kafka:9092. Independent of the node count.
*/}}
{{- define "login-pulse.embeddedKafkaAddress" -}}
kafka:9092
{{- end }}

{{/* The bootstrap servers every service uses; checks that they agree with kafka.embedded. */}}
{{- define "login-pulse.bootstrapServers" -}}
{{- $servers := .Values.kafka.bootstrapServers -}}
{{- if and .Values.kafka.embedded.enabled (ne $servers (include "login-pulse.embeddedKafkaAddress" .)) -}}
{{- fail (printf "kafka.bootstrapServers is %q, but kafka.embedded.enabled deploys the cluster at %s: set one or the other" $servers (include "login-pulse.embeddedKafkaAddress" .)) -}}
{{- end -}}
{{ $servers }}
{{- end }}

{{/* KRaft cluster id of the embedded broker: 22 characters of base64url, stable for a release name. */}}
{{- define "login-pulse.kafkaClusterId" -}}
{{- if .Values.kafka.embedded.clusterId -}}
{{ .Values.kafka.embedded.clusterId }}
{{- else -}}
{{ .Release.Name | sha256sum | trunc 16 | b64enc | trimSuffix "==" | replace "+" "-" | replace "/" "_" }}
{{- end -}}
{{- end }}

{{/* The hardened container securityContext of every container of the chart. */}}
{{- define "login-pulse.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
Refuses replica counts that can only idle: a cleaner replica needs a partition of user-login; a stats replica needs an
active or a standby task (partitions x (1 + standby replicas)).
*/}}
{{- define "login-pulse.checkReplicas" -}}
{{- $partitions := int .root.Values.kafka.topics.partitions -}}
{{- $values := index .root.Values .name -}}
{{- $ceiling := $partitions -}}
{{- if eq .name "stats" -}}
{{- $ceiling = mul $partitions (add 1 (int .root.Values.config.stats.standbyReplicas)) -}}
{{- end -}}
{{- $wanted := int $values.replicas -}}
{{- if and (eq .name "archiver") (ne $wanted 1) -}}
{{- fail (printf "archiver.replicas is %d, but the archiver must run as exactly one pod: it is the only writer of its Iceberg warehouse (docs/lake.md); disable it with archiver.enabled=false" $wanted) -}}
{{- end -}}
{{- $what := "replicas" -}}
{{- if and (hasKey $values "autoscaling") $values.autoscaling.enabled -}}
{{- $wanted = int $values.autoscaling.maxReplicas -}}
{{- $what = "autoscaling.maxReplicas" -}}
{{- if gt (int $values.autoscaling.minReplicas) $wanted -}}
{{- fail (printf "%s.autoscaling.minReplicas (%d) is above %s.autoscaling.maxReplicas (%d)" .name (int $values.autoscaling.minReplicas) .name $wanted) -}}
{{- end -}}
{{- end -}}
{{- if and (has .name (splitList " " (include "login-pulse.scalableServices" .root))) (gt $wanted $ceiling) -}}
{{- $why := printf "kafka.topics.partitions=%d" $partitions -}}
{{- if eq .name "stats" -}}
{{- $why = printf "%s and config.stats.standbyReplicas=%d" $why (int .root.Values.config.stats.standbyReplicas) -}}
{{- end -}}
{{- fail (printf "%s.%s is %d, but only %d %s replicas can get work with %s; the rest would idle" .name $what $wanted $ceiling .name $why) -}}
{{- end -}}
{{- end }}

{{/*
Checks kafka.security for settings the services would refuse at start or silently ignore: SASL needs a mechanism and,
for every deployed service, a JAAS Secret (its own or the shared one); SSL and SASL_SSL need a trust store unless the
JDK's CAs are meant; JAAS Secrets without SASL and stores without TLS would be ignored; the embedded broker is
plaintext.
*/}}
{{- define "login-pulse.checkSecurity" -}}
{{- $security := .Values.kafka.security -}}
{{- $protocol := $security.protocol -}}
{{- $sasl := hasPrefix "SASL_" $protocol -}}
{{- $tls := or (eq $protocol "SSL") (eq $protocol "SASL_SSL") -}}
{{- if and .Values.kafka.embedded.enabled $protocol (ne $protocol "PLAINTEXT") -}}
{{- fail "the embedded Kafka speaks PLAINTEXT only: leave kafka.security.protocol empty with kafka.embedded.enabled" -}}
{{- end -}}
{{- if $sasl -}}
{{- if not $security.saslMechanism -}}
{{- fail (printf "kafka.security.protocol=%s needs kafka.security.saslMechanism" $protocol) -}}
{{- end -}}
{{- range $name := splitList " " (include "login-pulse.services" $) -}}
{{- if and (eq (include "login-pulse.enabled" (dict "name" $name "root" $)) "true") (not (include "login-pulse.jaasSecret" (dict "name" $name "root" $))) -}}
{{- fail (printf "kafka.security.protocol=%s needs kafka.security.jaasConfigSecret.name (shared) or kafka.security.jaasConfigSecrets.%s.name: an existing Secret holding the JAAS line of %s" $protocol $name $name) -}}
{{- end -}}
{{- end -}}
{{- else -}}
{{- if $security.jaasConfigSecret.name -}}
{{- fail (printf "kafka.security.jaasConfigSecret.name is set, but kafka.security.protocol=%q uses no SASL: set SASL_SSL or SASL_PLAINTEXT, or leave it empty" $protocol) -}}
{{- end -}}
{{- range $name, $secret := $security.jaasConfigSecrets -}}
{{- if $secret.name -}}
{{- fail (printf "kafka.security.jaasConfigSecrets.%s.name is set, but kafka.security.protocol=%q uses no SASL: set SASL_SSL or SASL_PLAINTEXT, or leave it empty" $name $protocol) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if $tls -}}
{{- if and (not $security.tls.truststoreSecret.name) (not $security.tls.trustJdkCaCerts) -}}
{{- fail (printf "kafka.security.protocol=%s needs kafka.security.tls.truststoreSecret.name: an existing Secret holding the trust store of the brokers' CA (or kafka.security.tls.trustJdkCaCerts=true for a public CA)" $protocol) -}}
{{- end -}}
{{- else -}}
{{- if $security.tls.truststoreSecret.name -}}
{{- fail (printf "kafka.security.tls.truststoreSecret.name is set, but kafka.security.protocol=%q uses no TLS: set SSL or SASL_SSL, or leave it empty" $protocol) -}}
{{- end -}}
{{- range $name, $secret := $security.tls.keystoreSecrets -}}
{{- if $secret.name -}}
{{- fail (printf "kafka.security.tls.keystoreSecrets.%s.name is set, but kafka.security.protocol=%q uses no TLS: set SSL or SASL_SSL, or leave it empty" $name $protocol) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end }}

{{/* The JAAS Secret of service .name as name/key (its own, else the shared one); empty: none. */}}
{{- define "login-pulse.jaasSecret" -}}
{{- $security := .root.Values.kafka.security -}}
{{- $own := index $security.jaasConfigSecrets .name -}}
{{- if $own.name -}}
{{ $own.name }}/{{ $own.key }}
{{- else if $security.jaasConfigSecret.name -}}
{{ $security.jaasConfigSecret.name }}/{{ $security.jaasConfigSecret.key }}
{{- end -}}
{{- end }}

{{/* Where the trust store and a service's key store are mounted (read-only). */}}
{{- define "login-pulse.truststoreDir" -}}
/etc/login-pulse/kafka/truststore
{{- end }}
{{- define "login-pulse.keystoreDir" -}}
/etc/login-pulse/kafka/keystore
{{- end }}

{{/* An environment variable from a password's Secret key (.ref: name, key), the store's Secret (.store) by default. */}}
{{- define "login-pulse.passwordEnv" -}}
{{- if .ref.key }}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      name: {{ .ref.name | default .store }}
      key: {{ .ref.key }}
{{- end }}
{{- end }}

{{/*
The Kafka credentials and stores of service .name (kafka.security): the JAAS line, the trust store, its key store.
*/}}
{{- define "login-pulse.kafkaSecurityEnv" -}}
{{- $security := .root.Values.kafka.security -}}
{{- with include "login-pulse.jaasSecret" . }}
- name: KAFKA_SASL_JAAS_CONFIG
  valueFrom:
    secretKeyRef:
      name: {{ dir . }}
      key: {{ base . }}
{{- end }}
{{- with $security.tls.truststoreSecret }}
{{- if .name }}
- name: KAFKA_SSL_TRUSTSTORE_LOCATION
  value: {{ printf "%s/%s" (include "login-pulse.truststoreDir" $) .key | quote }}
- name: KAFKA_SSL_TRUSTSTORE_TYPE
  value: {{ .type | quote }}
{{- include "login-pulse.passwordEnv" (dict "env" "KAFKA_SSL_TRUSTSTORE_PASSWORD" "ref" .password "store" .name) }}
{{- end }}
{{- end }}
{{- with index $security.tls.keystoreSecrets .name }}
{{- if .name }}
- name: KAFKA_SSL_KEYSTORE_LOCATION
  value: {{ printf "%s/%s" (include "login-pulse.keystoreDir" $) .key | quote }}
- name: KAFKA_SSL_KEYSTORE_TYPE
  value: {{ .type | quote }}
{{- include "login-pulse.passwordEnv" (dict "env" "KAFKA_SSL_KEYSTORE_PASSWORD" "ref" .password "store" .name) }}
{{- include "login-pulse.passwordEnv" (dict "env" "KAFKA_SSL_KEY_PASSWORD" "ref" .keyPassword "store" .name) }}
{{- end }}
{{- end }}
{{- end }}

{{/* The read-only mounts of the trust store and the key store of service .name. */}}
{{- define "login-pulse.kafkaSecurityMounts" -}}
{{- $tls := .root.Values.kafka.security.tls -}}
{{- if $tls.truststoreSecret.name }}
- name: kafka-truststore
  mountPath: {{ include "login-pulse.truststoreDir" . }}
  readOnly: true
{{- end }}
{{- if (index $tls.keystoreSecrets .name).name }}
- name: kafka-keystore
  mountPath: {{ include "login-pulse.keystoreDir" . }}
  readOnly: true
{{- end }}
{{- end }}

{{/* The Secret volumes of the stores of service .name: only the store file, not the password keys. */}}
{{- define "login-pulse.kafkaSecurityVolumes" -}}
{{- $tls := .root.Values.kafka.security.tls -}}
{{- with $tls.truststoreSecret }}
{{- if .name }}
- name: kafka-truststore
  secret:
    secretName: {{ .name }}
    items:
      - key: {{ .key }}
        path: {{ .key }}
{{- end }}
{{- end }}
{{- with index $tls.keystoreSecrets .name }}
{{- if .name }}
- name: kafka-keystore
  secret:
    secretName: {{ .name }}
    items:
      - key: {{ .key }}
        path: {{ .key }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Refuses an embedded cluster whose topics could not be written or would stop at the first node down: a replication
factor above the node count, a min.insync.replicas above the replication factor, and, with 3 or more nodes, a
replication factor below min.insync.replicas + 1 (an acks=all write then needs every replica).
*/}}
{{- define "login-pulse.checkEmbeddedKafka" -}}
{{- $kafka := .Values.kafka.embedded -}}
{{- $replicas := int $kafka.replicas -}}
{{- $rf := int $kafka.replicationFactor -}}
{{- $minIsr := int $kafka.minInsyncReplicas -}}
{{- if gt $rf $replicas -}}
{{- fail (printf "kafka.embedded.replicationFactor is %d, but kafka.embedded.replicas is %d: a topic cannot have more replicas than there are brokers" $rf $replicas) -}}
{{- end -}}
{{- if gt $minIsr $rf -}}
{{- fail (printf "kafka.embedded.minInsyncReplicas is %d, above kafka.embedded.replicationFactor %d: no acks=all write could ever succeed" $minIsr $rf) -}}
{{- end -}}
{{- if and (ge $replicas 3) (lt $rf (add $minIsr 1)) -}}
{{- fail (printf "kafka.embedded.replicationFactor is %d, but with kafka.embedded.replicas=%d it must be at least kafka.embedded.minInsyncReplicas + 1 = %d, so that one node may be down without stopping acks=all writes" $rf $replicas (add $minIsr 1)) -}}
{{- end -}}
{{- end }}

{{/* The KRaft controller quorum: every node, by node id (= pod ordinal) at its stable name, e.g. 0@kafka-0.kafka:9093. */}}
{{- define "login-pulse.kafkaQuorumVoters" -}}
{{- $voters := list -}}
{{- range $id := until (int .Values.kafka.embedded.replicas) -}}
{{- $voters = append $voters (printf "%d@kafka-%d.kafka:9093" $id $id) -}}
{{- end -}}
{{ join "," $voters }}
{{- end }}

{{/*
server.properties of the embedded KRaft nodes, each a broker and a controller. node.id (the pod ordinal) and the
advertised listener are added per pod at start.
*/}}
{{- define "login-pulse.kafkaServerProperties" -}}
{{- $kafka := .Values.kafka.embedded -}}
process.roles=broker,controller
controller.quorum.voters={{ include "login-pulse.kafkaQuorumVoters" . }}
listeners=PLAINTEXT://:9092,CONTROLLER://:9093
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
log.dirs=/var/lib/kafka/data
num.partitions={{ .Values.kafka.topics.partitions }}
# The topic job creates the pipeline's topics; a consumer must not create one with other settings first.
auto.create.topics.enable=false
default.replication.factor={{ int $kafka.replicationFactor }}
min.insync.replicas={{ int $kafka.minInsyncReplicas }}
# An out-of-sync replica never becomes leader: no acknowledged record is lost to an election.
unclean.leader.election.enable=false
offsets.topic.replication.factor={{ int $kafka.replicationFactor }}
transaction.state.log.replication.factor={{ int $kafka.replicationFactor }}
transaction.state.log.min.isr={{ int $kafka.minInsyncReplicas }}
group.initial.rebalance.delay.ms=0
{{- end }}

{{/*
HTTP authentication of dashboard and stats (auth.*): the environment of their containers. Refuses auth.enabled with
neither a Basic user nor a token key, as the services would at start (docs/contracts.md).
*/}}
{{- define "login-pulse.authEnv" -}}
{{- $auth := .Values.auth -}}
{{- if $auth.enabled }}
{{- if not (or $auth.basicSecret $auth.jwt.publicKeyLocation) }}
{{- fail "auth.enabled needs auth.basicSecret (an existing Secret with the keys username and password) or auth.jwt.publicKeyLocation (the key of bearer tokens)" -}}
{{- end }}
- name: PULSE_AUTH_ENABLED
  value: "true"
{{- with $auth.basicSecret }}
- name: PULSE_AUTH_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: username
- name: PULSE_AUTH_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: password
{{- end }}
{{- with $auth.jwt.publicKeyLocation }}
- name: PULSE_AUTH_JWT_PUBLIC_KEY_LOCATION
  value: {{ . | quote }}
{{- end }}
{{- with $auth.jwt.issuer }}
- name: PULSE_AUTH_JWT_ISSUER
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
The operations view of the dashboard: the Services whose /q/metrics it reads (the in-cluster Service of each deployed
service but the dashboard, name=http://<service>:<port>) and the consumer groups whose lag it shows.
*/}}
{{- define "login-pulse.opsServices" -}}
{{- $services := list -}}
{{- range $name := splitList " " (include "login-pulse.services" .) -}}
{{- if and (ne $name "dashboard") (eq (include "login-pulse.enabled" (dict "name" $name "root" $)) "true") -}}
{{- $services = append $services (printf "%s=http://%s:%v" $name $name (index $.Values $name).port) -}}
{{- end -}}
{{- end -}}
{{ join "," $services }}
{{- end }}

{{- define "login-pulse.opsEnv" -}}
- name: PULSE_DASHBOARD_OPS_SERVICES
  value: {{ include "login-pulse.opsServices" . | quote }}
- name: PULSE_DASHBOARD_OPS_GROUPS
  value: {{ join "," .Values.dashboard.ops.groups | quote }}
{{- end }}
