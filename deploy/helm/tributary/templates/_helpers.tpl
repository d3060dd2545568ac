{{- define "tributary.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "tributary.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "tributary.selector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "tributary.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "tributary.publicUrl" -}}
{{- if .Values.publicUrl -}}
{{ .Values.publicUrl }}
{{- else if .Values.ingress.enabled -}}
https://{{ .Values.ingress.host }}
{{- end -}}
{{- end -}}

{{/* The settings every node needs: the shared database and master key, and addresses a pod can be reached on. */}}
{{- define "tributary.commonEnv" -}}
- name: TRIBUTARY_DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.secret.name }}
      key: {{ .Values.secret.databaseUrlKey }}
- name: TRIBUTARY_MASTER_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.secret.name }}
      key: {{ .Values.secret.masterKeyKey }}
# the first application's credentials, chosen by the operator: a generated secret is never printed
# by a node that listens beyond its machine, since its output ends up in the pod's logs
- name: TRIBUTARY_BOOTSTRAP_CLIENT_ID
  valueFrom:
    secretKeyRef:
      name: {{ .Values.secret.name }}
      key: {{ .Values.secret.bootstrapClientIdKey }}
      optional: true
- name: TRIBUTARY_BOOTSTRAP_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ .Values.secret.name }}
      key: {{ .Values.secret.bootstrapClientSecretKey }}
      optional: true
- name: TRIBUTARY_DATA_DIR
  value: /data
- name: TRIBUTARY_METRICS_PORT
  value: {{ .Values.metrics.port | quote }}
# the metrics address defaults to loopback: probes and Prometheus reach the pod's own address
- name: TRIBUTARY_METRICS_ADDRESS
  value: "0.0.0.0"
{{- if .Values.localFiles.existingClaim }}
- name: TRIBUTARY_LOCAL_ROOT
  value: /local
{{- end }}
{{- with .Values.env }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "tributary.volumes" -}}
- name: data
  emptyDir: {}
- name: tmp
  emptyDir: {}
{{- if .Values.localFiles.existingClaim }}
- name: local-files
  persistentVolumeClaim:
    claimName: {{ .Values.localFiles.existingClaim }}
{{- end }}
{{- end -}}

{{- define "tributary.volumeMounts" -}}
- name: data
  mountPath: /data
- name: tmp
  mountPath: /tmp
{{- if .Values.localFiles.existingClaim }}
- name: local-files
  mountPath: /local
{{- end }}
{{- end -}}
