{{/* Chart name, truncated to the 63 characters a label value allows. */}}
{{- define "pgtw.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Resource name prefix: release-chart unless the release name already contains the chart name. */}}
{{- define "pgtw.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "pgtw.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pgtw.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "pgtw.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "pgtw.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: admission-webhook
{{- end -}}

{{- define "pgtw.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "pgtw.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "pgtw.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* Name of the webhook configurations (the mutating and validating one share it). */}}
{{- define "pgtw.webhookConfigName" -}}
{{- include "pgtw.fullname" . -}}
{{- end -}}

{{/* Secret holding the serving pair (and, self-managed, the CA). */}}
{{- define "pgtw.tlsSecretName" -}}
{{- $mode := .Values.certificates.mode -}}
{{- if eq $mode "provided" -}}
{{- required "certificates.provided.secretName is required in provided mode" .Values.certificates.provided.secretName -}}
{{- else if eq $mode "selfManaged" -}}
{{- default (printf "%s-tls" (include "pgtw.fullname" .)) .Values.certificates.selfManaged.secretName -}}
{{- else -}}
{{- printf "%s-tls" (include "pgtw.fullname" .) -}}
{{- end -}}
{{- end -}}

{{- define "pgtw.policyConfigMapName" -}}
{{- printf "%s-policy" (include "pgtw.fullname" .) -}}
{{- end -}}

{{/* Where the serving pair is read from inside the pod. */}}
{{- define "pgtw.tlsDir" -}}/run/pg-trickle-webhook/tls{{- end -}}
{{- define "pgtw.policyDir" -}}/etc/pg-trickle-webhook{{- end -}}

{{/*
Namespaces the webhooks never see: kube-system, the release namespace (the webhook must
never block its own recovery) and namespaces labelled pgtrickle.io/webhook=disabled,
plus the user's additions. Argument: (dict "root" $ "extra" selector-or-nil).
*/}}
{{- define "pgtw.namespaceSelector" -}}
{{- $root := .root -}}
{{- $user := $root.Values.webhooks.namespaceSelector -}}
{{- $labels := merge (dict) (default (dict) $user.matchLabels) -}}
{{- $exprs := list
  (dict "key" "kubernetes.io/metadata.name" "operator" "NotIn" "values" (list "kube-system" $root.Release.Namespace))
  (dict "key" "pgtrickle.io/webhook" "operator" "NotIn" "values" (list "disabled")) -}}
{{- range (default (list) $user.matchExpressions) }}{{ $exprs = append $exprs . }}{{ end -}}
{{- with .extra -}}
{{- $labels = merge $labels (default (dict) .matchLabels) -}}
{{- range (default (list) .matchExpressions) }}{{ $exprs = append $exprs . }}{{ end -}}
{{- end -}}
{{- if $labels -}}
matchLabels:
  {{- toYaml $labels | nindent 2 }}
{{ end -}}
matchExpressions:
  {{- toYaml $exprs | nindent 2 }}
{{- end -}}

{{/* caBundle / cert-manager annotation for the webhook configurations. */}}
{{- define "pgtw.webhookConfigAnnotations" -}}
{{- if eq .Values.certificates.mode "certManager" -}}
annotations:
  cert-manager.io/inject-ca-from: {{ printf "%s/%s" .Release.Namespace (printf "%s-serving" (include "pgtw.fullname" .)) }}
{{- end }}
{{- end -}}

{{- define "pgtw.clientConfig" -}}
{{- $root := .root -}}
clientConfig:
  service:
    name: {{ include "pgtw.fullname" $root }}
    namespace: {{ $root.Release.Namespace }}
    path: {{ .path }}
    port: {{ $root.Values.service.port }}
  {{- if eq $root.Values.certificates.mode "provided" }}
  caBundle: {{ required "certificates.provided.caBundle is required in provided mode" $root.Values.certificates.provided.caBundle | b64enc }}
  {{- end }}
{{- end -}}

{{/*
Fields every webhook entry shares. Argument: (dict "root" $ "resource" "clusters"|"databases"
"failurePolicy" X "conditions" bool). Cluster entries carry the CEL matchConditions unless the
policy injects into every Cluster (then every Cluster must reach the webhook).
*/}}
{{- define "pgtw.webhookCommon" -}}
{{- $root := .root -}}
rules:
  - apiGroups: ["postgresql.cnpg.io"]
    apiVersions: ["v1"]
    operations: ["CREATE", "UPDATE"]
    resources: [{{ .resource | quote }}]
    scope: Namespaced
sideEffects: None
admissionReviewVersions: ["v1"]
timeoutSeconds: {{ $root.Values.webhooks.timeoutSeconds }}
failurePolicy: {{ .failurePolicy }}
matchPolicy: Equivalent
{{- if and .conditions (ne (include "pgtw.injectionMode" $root) "always") }}
matchConditions:
  {{- $root.Files.Get "files/match-conditions.yaml" | trim | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "pgtw.injectionMode" -}}
{{- $injection := (default (dict) .Values.policy).injection | default (dict) -}}
{{- default "label" $injection.mode -}}
{{- end -}}
