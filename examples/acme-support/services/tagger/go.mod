module github.com/acme-tw/support/services/tagger

go 1.23

require (
	github.com/aws/aws-sdk-go-v2 v1.36.3
	github.com/aws/aws-sdk-go-v2/config v1.29.14
	github.com/aws/aws-sdk-go-v2/service/bedrockruntime v1.30.0
)
