// Command tagger tags incoming tickets (billing, outage, how-to...) for routing. It runs next to the API
// and is called for every new ticket.
package main

import (
	"context"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

const defaultModel = "anthropic.claude-3-5-haiku-20241022-v1:0"

type tagger struct {
	runtime *bedrockruntime.Client
	modelID string
}

func newTagger(ctx context.Context) (*tagger, error) {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("us-west-2"))
	if err != nil {
		return nil, err
	}
	model := os.Getenv("TAGGER_MODEL_ID")
	if model == "" {
		model = defaultModel
	}
	return &tagger{runtime: bedrockruntime.NewFromConfig(cfg), modelID: model}, nil
}

func (t *tagger) tags(ctx context.Context, ticket string) ([]string, error) {
	out, err := t.runtime.Converse(ctx, &bedrockruntime.ConverseInput{
		ModelId: aws.String(t.modelID),
		Messages: []types.Message{{
			Role:    types.ConversationRoleUser,
			Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Tags, comma-separated, for: " + ticket}},
		}},
	})
	if err != nil {
		return nil, err
	}
	text := out.Output.(*types.ConverseOutputMemberMessage).Value.Content[0].(*types.ContentBlockMemberText).Value
	return strings.Split(text, ","), nil
}

func main() {
	ctx := context.Background()
	t, err := newTagger(ctx)
	if err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("/tags", func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Text string }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		tags, err := t.tags(r.Context(), body.Text)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		_ = json.NewEncoder(w).Encode(tags)
	})
	log.Fatal(http.ListenAndServe(":8090", nil))
}
