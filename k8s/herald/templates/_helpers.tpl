{{/* Release-wide name, at most 63 characters. */}}
{{- define "herald.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Name of one service's objects: <fullname>-<service>. Call with (dict "root" $ "name" $name). */}}
{{- define "herald.serviceName" -}}
{{- printf "%s-%s" (include "herald.fullname" .root | trunc 46 | trimSuffix "-") .name -}}
{{- end -}}

{{- define "herald.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/name: herald
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: herald
{{- end -}}

{{- define "herald.selectorLabels" -}}
app.kubernetes.io/name: herald
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "herald.image" -}}
{{- $image := .root.Values.image -}}
{{- $repository := printf "%s-%s" $image.repository .name -}}
{{- if $image.registry }}{{ $repository = printf "%s/%s" $image.registry $repository }}{{ end -}}
{{- printf "%s:%s" $repository (default .root.Chart.AppVersion $image.tag) -}}
{{- end -}}

{{- define "herald.secretName" -}}
{{- default (include "herald.fullname" .) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* Services that keep state in PostgreSQL, and those that accept the bootstrap admin key. */}}
{{- define "herald.databaseServices" -}}subscription-api audit-log{{- end -}}
{{- define "herald.adminKeyServices" -}}subscription-api event-ingest audit-log{{- end -}}
{{/* Services that seal or open webhook secrets (key-encryption keys). */}}
{{- define "herald.secretKeyServices" -}}subscription-api deliverer{{- end -}}
{{/* Services whose whole work is consuming partitions: replicas beyond the partition count idle. */}}
{{- define "herald.partitionBoundServices" -}}matcher deliverer{{- end -}}

{{- define "herald.kafkaTlsDir" -}}/etc/herald/kafka-tls{{- end -}}
{{- define "herald.databaseTlsDir" -}}/etc/herald/database-tls{{- end -}}

{{/* SIGTERM drain + preStop pause + a margin for the process to exit. */}}
{{- define "herald.terminationGracePeriodSeconds" -}}
{{- add (div (add .Values.config.shutdownTimeoutMs 999) 1000) .Values.config.preStopSleepSeconds 10 -}}
{{- end -}}

{{/* Env read from the Secret. Call with (dict "root" $ "name" $name). */}}
{{- define "herald.secretEnv" -}}
{{- $secret := include "herald.secretName" .root -}}
{{- if has .name (splitList " " (include "herald.databaseServices" .)) }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: DATABASE_URL}
{{- end }}
{{- if has .name (splitList " " (include "herald.adminKeyServices" .)) }}
- name: HERALD_ADMIN_API_KEY
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: HERALD_ADMIN_API_KEY}
{{- end }}
{{- if has .name (splitList " " (include "herald.secretKeyServices" .)) }}
- name: HERALD_KEKS
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: HERALD_KEKS}
{{- end }}
{{- if and .root.Values.smtp.enabled (eq .name "deliverer") }}
- name: SMTP_URL
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: SMTP_URL}
{{- end }}
{{- if ne .root.Values.kafka.sasl.mechanism "none" }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ $secret }}, key: {{ .root.Values.kafka.sasl.passwordKey }}}
{{- end }}
{{- end -}}

{{/* TLS material mounted from Secrets. Call with the root context; "mounts" or "volumes". */}}
{{- define "herald.tlsVolumes" -}}
{{- $v := .Values -}}
{{- if and $v.kafka.tls.enabled (or $v.kafka.tls.caSecret.name $v.kafka.tls.clientCertSecret.name) }}
- name: kafka-tls
  projected:
    sources:
      {{- with $v.kafka.tls.caSecret }}{{ if .name }}
      - secret:
          name: {{ .name }}
          items: [{key: {{ .key }}, path: ca.crt}]
      {{- end }}{{ end }}
      {{- with $v.kafka.tls.clientCertSecret }}{{ if .name }}
      - secret:
          name: {{ .name }}
          items: [{key: {{ .certKey }}, path: client.crt}, {key: {{ .keyKey }}, path: client.key}]
      {{- end }}{{ end }}
{{- end }}
{{- if $v.database.tls.caSecret.name }}
- name: database-tls
  secret:
    secretName: {{ $v.database.tls.caSecret.name }}
    items: [{key: {{ $v.database.tls.caSecret.key }}, path: ca.crt}]
{{- end }}
{{- end -}}

{{- define "herald.tlsMounts" -}}
{{- $v := .Values -}}
{{- if and $v.kafka.tls.enabled (or $v.kafka.tls.caSecret.name $v.kafka.tls.clientCertSecret.name) }}
- {name: kafka-tls, mountPath: {{ include "herald.kafkaTlsDir" . }}, readOnly: true}
{{- end }}
{{- if $v.database.tls.caSecret.name }}
- {name: database-tls, mountPath: {{ include "herald.databaseTlsDir" . }}, readOnly: true}
{{- end }}
{{- end -}}

{{/* Rendering fails on combinations the schema cannot express. */}}
{{- define "herald.validate" -}}
{{- $v := .Values -}}
{{- range $name := splitList " " (include "herald.partitionBoundServices" .) }}
{{- $svc := index $v.services $name }}
{{- if gt (int $svc.replicas) (int $v.kafka.partitions) }}
{{- fail (printf "services.%s.replicas (%d) exceeds kafka.partitions (%d): replicas beyond the partition count get no partition and sit idle" $name (int $svc.replicas) (int $v.kafka.partitions)) }}
{{- end }}
{{- if and $svc.autoscaling.enabled (gt (int $svc.autoscaling.maxReplicas) (int $v.kafka.partitions)) }}
{{- fail (printf "services.%s.autoscaling.maxReplicas (%d) exceeds kafka.partitions (%d): replicas beyond the partition count get no partition and sit idle" $name (int $svc.autoscaling.maxReplicas) (int $v.kafka.partitions)) }}
{{- end }}
{{- if and $svc.autoscaling.enabled (gt (int $svc.autoscaling.minReplicas) (int $svc.autoscaling.maxReplicas)) }}
{{- fail (printf "services.%s.autoscaling.minReplicas exceeds its maxReplicas" $name) }}
{{- end }}
{{- end }}
{{- if and (ne $v.kafka.sasl.mechanism "none") (not $v.kafka.sasl.username) }}
{{- fail (printf "kafka.sasl.username is required with kafka.sasl.mechanism %s" $v.kafka.sasl.mechanism) }}
{{- end }}
{{- if and $v.database.tls.caSecret.name (ne $v.database.tls.mode "verify-full") }}
{{- fail "database.tls.caSecret is only used with database.tls.mode verify-full" }}
{{- end }}
{{- if and (not $v.kafka.tls.enabled) (or $v.kafka.tls.caSecret.name $v.kafka.tls.clientCertSecret.name) }}
{{- fail "kafka.tls.caSecret/clientCertSecret are set but kafka.tls.enabled is false" }}
{{- end }}
{{- if $v.secrets.create }}
{{- if not (and $v.secrets.databaseUrl $v.secrets.adminApiKey $v.secrets.keks) }}
{{- fail "secrets.create needs secrets.databaseUrl, secrets.adminApiKey and secrets.keks" }}
{{- end }}
{{- if and $v.smtp.enabled (not $v.secrets.smtpUrl) }}
{{- fail "secrets.create with smtp.enabled needs secrets.smtpUrl" }}
{{- end }}
{{- if and (ne $v.kafka.sasl.mechanism "none") (not $v.secrets.kafkaSaslPassword) }}
{{- fail "secrets.create with kafka.sasl needs secrets.kafkaSaslPassword" }}
{{- end }}
{{- end }}
{{- end -}}
